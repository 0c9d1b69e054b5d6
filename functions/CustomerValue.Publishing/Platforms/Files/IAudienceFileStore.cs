namespace CustomerValue.Publishing.Platforms.Files;

/// <summary>Where audience files are kept: a blob container on Azure, a folder locally.</summary>
public interface IAudienceFileStore
{
    /// <summary>The file's text, or null when it does not exist.</summary>
    Task<string?> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Writes (replaces) the file.</summary>
    Task WriteAsync(string name, string text, CancellationToken cancellationToken);
}

/// <summary>Audience files in a local folder (written beside and renamed, so a reader never sees half a file).</summary>
public sealed class FolderAudienceFileStore(string folder) : IAudienceFileStore
{
    /// <summary>The folder.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <inheritdoc />
    public async Task<string?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    /// <inheritdoc />
    public async Task WriteAsync(string name, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
