using CustomerValue.Storage.Documents;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>One of the stores the benchmark compares: it hands out a fresh, empty, initialized store per phase.</summary>
internal interface IStoreTarget : IAsyncDisposable
{
    /// <summary>The column heading, e.g. <c>embedded (SQLite)</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what exactly runs (file, server, endpoint).</summary>
    string Description { get; }

    /// <summary>How <see cref="IDocumentStore.ScanAsync{T}"/> reads a container, for the table.</summary>
    string ScanMethod { get; }

    /// <summary>A fresh store for <paramref name="phase"/>; disposing it drops its data.</summary>
    Task<PhaseStore> OpenAsync(string phase, CancellationToken cancellationToken);

    /// <summary>The request charges seen so far; null for a store that has no request units.</summary>
    RequestCharges? Charges();
}

/// <summary>A store opened for one phase, and how to drop it afterwards.</summary>
/// <param name="Store">The store, initialized.</param>
/// <param name="Drop">Deletes its data and releases it.</param>
internal sealed record PhaseStore(IDocumentStore Store, Func<ValueTask> Drop) : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Drop();
}
