using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CustomerValue.Publishing.Platforms.Files;

namespace CustomerValue.Functions.Configuration;

/// <summary>Audience files in a blob container, created when missing.</summary>
public sealed class BlobAudienceFileStore(BlobContainerClient container) : IAudienceFileStore
{
    private bool _created;

    /// <inheritdoc />
    public async Task<string?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var content = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(string name, string text, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _created = true;
        }

        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(text),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } }, cancellationToken);
    }
}
