using CustomerValue.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>The embedded store (<see cref="SqliteDocumentStore"/>): one SQLite file per phase in a temporary folder.</summary>
internal sealed class EmbeddedTarget : IStoreTarget
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cv-bench-stores", Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public string Name => "embedded (SQLite)";

    /// <inheritdoc />
    public string Description => $"Embedded store: SqliteDocumentStore, a fresh file per phase under {_root} (deleted afterwards).";

    /// <inheritdoc />
    public string ScanMethod => "SQLite, pages of 500";

    /// <inheritdoc />
    public async Task<PhaseStore> OpenAsync(string phase, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_root, phase);
        var store = new SqliteDocumentStore(Path.Combine(folder, "customervalue.db"));
        await store.InitializeAsync(cancellationToken);
        return new PhaseStore(store, () =>
        {
            store.Dispose();
            BenchEnvironment.TryDeleteFolder(folder);
            return ValueTask.CompletedTask;
        });
    }

    /// <inheritdoc />
    public RequestCharges? Charges() => null;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        BenchEnvironment.TryDeleteFolder(_root);
        return ValueTask.CompletedTask;
    }

}
