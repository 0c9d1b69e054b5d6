using CustomerValue.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Testing;

/// <summary>A real embedded store in its own temporary folder, deleted on dispose.</summary>
public sealed class TempStore : IAsyncDisposable
{
    private TempStore(string folder, SqliteDocumentStore store)
    {
        Folder = folder;
        Store = store;
    }

    /// <summary>The temporary folder; tests may put other files (e.g. an outbox) in it.</summary>
    public string Folder { get; }

    public SqliteDocumentStore Store { get; }

    public static async Task<TempStore> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cv-pipeline-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = new SqliteDocumentStore(Path.Combine(folder, "store.db"));
        await store.InitializeAsync();
        return new TempStore(folder, store);
    }

    public ValueTask DisposeAsync()
    {
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }

        return ValueTask.CompletedTask;
    }
}
