using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Storage.Azure.Blobs;

/// <summary>
/// POS exports in Blob Storage: read by name as a stream (never inline: the Functions host caps requests at
/// 100 MB), reports written to a sibling container.
/// </summary>
public sealed class BlobPosExportStorage(BlobContainerClient exports, BlobContainerClient reports) : IPosExportStorage
{
    /// <summary>The container whose BlobCreated events trigger ImportPosExport.</summary>
    public const string ExportsContainer = "pos-exports";

    /// <summary>The container that receives import reports and quarantined rows.</summary>
    public const string ReportsContainer = "pos-exports-reports";

    /// <inheritdoc />
    public string Location => exports.Uri.ToString();

    /// <summary>Creates both containers if they are missing (local runs against Azurite; Azure has them from infra).</summary>
    public async Task EnsureContainersAsync(CancellationToken cancellationToken = default)
    {
        await exports.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await reports.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public async Task<PosExportInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await exports.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken);
            return new PosExportInfo(name, properties.Value.ContentLength, properties.Value.ETag.ToString("H"));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) =>
        await exports.GetBlobClient(name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 * 1024 * 1024 }, cancellationToken);

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(PosExportInfo export, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(export);
        var options = new BlobOpenReadOptions(allowModifications: false)
        {
            BufferSize = 4 * 1024 * 1024,
            Conditions = new BlobRequestConditions { IfMatch = new ETag(export.Version) },
        };
        try
        {
            return await exports.GetBlobClient(export.Name).OpenReadAsync(options, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new PosExportChangedException(export.Name);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<PosExportInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var blob in exports.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            // The same spelling of the ETag as GetInfoAsync, so a listed version and a fetched one compare equal.
            yield return new PosExportInfo(blob.Name, blob.Properties.ContentLength ?? 0, blob.Properties.ETag?.ToString("H") ?? string.Empty);
        }
    }

    /// <inheritdoc />
    public async Task WriteReportAsync(string exportName, string fileName, Stream content, CancellationToken cancellationToken = default) =>
        await reports.GetBlobClient($"{exportName}.{fileName}").UploadAsync(content, overwrite: true, cancellationToken);
}
