namespace CustomerValue.Storage.Documents;

/// <summary>
/// Marks the writes of a bulk job (a POS import, a recompute's write-back) for the code that runs inside
/// <see cref="Begin"/>, across awaits and the tasks it starts. A store that serialises its writes (the embedded store's
/// single writer) lets the other writes (webhooks, API calls) pass them: without it a webhook that arrives during an
/// import queues behind the thousands of writes of the import's current batch, and waits seconds for its turn. Cosmos DB
/// has no single writer and ignores the mark.
/// </summary>
public static class BulkWrites
{
    private static readonly AsyncLocal<bool> Marked = new();

    /// <summary>Whether the current code runs inside a bulk job.</summary>
    public static bool Active => Marked.Value;

    /// <summary>Marks what follows, until the scope is disposed, as a bulk job.</summary>
    public static Scope Begin()
    {
        var previous = Marked.Value;
        Marked.Value = true;
        return new Scope(previous);
    }

    /// <summary>Ends the mark, restoring what was there before.</summary>
    public readonly struct Scope : IDisposable, IEquatable<Scope>
    {
        private readonly bool _previous;

        internal Scope(bool previous) => _previous = previous;

        /// <inheritdoc />
        public void Dispose() => Marked.Value = _previous;

        /// <inheritdoc />
        public bool Equals(Scope other) => _previous == other._previous;

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is Scope other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => _previous.GetHashCode();

        /// <summary>Equality of two scopes.</summary>
        public static bool operator ==(Scope left, Scope right) => left.Equals(right);

        /// <summary>Inequality of two scopes.</summary>
        public static bool operator !=(Scope left, Scope right) => !left.Equals(right);
    }
}
