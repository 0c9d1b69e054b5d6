namespace CustomerValue.Storage.Documents;

/// <summary>What one write of <see cref="IDocumentStore.WriteAllAsync"/> does.</summary>
public enum DocumentWriteKind
{
    /// <summary>Create; refused when the document exists.</summary>
    Create,

    /// <summary>Replace the version named by the ETag; refused when it changed or is gone.</summary>
    Replace,

    /// <summary>Create or overwrite.</summary>
    Upsert,

    /// <summary>Delete if present.</summary>
    Delete,
}

/// <summary>One write of a set applied by <see cref="IDocumentStore.WriteAllAsync"/>.</summary>
/// <param name="Kind">What the write does.</param>
/// <param name="Container">The container.</param>
/// <param name="Id">The document id.</param>
/// <param name="PartitionKey">The partition key.</param>
/// <param name="Body">The body (serialized as its runtime type); null for a delete.</param>
/// <param name="IfMatch">The ETag a <see cref="DocumentWriteKind.Replace"/> requires.</param>
public sealed record DocumentWrite(DocumentWriteKind Kind, string Container, string Id, string PartitionKey, object? Body = null, string? IfMatch = null)
{
    /// <summary>
    /// A short value kept beside the body, found again by <see cref="IDocumentStore.FindStampsAsync"/> without reading the
    /// body (an imported order: the digest of the row that made its version). Every write replaces it; null clears it.
    /// Stores that keep no stamps ignore it.
    /// </summary>
    public string? Stamp { get; init; }

    /// <summary>A create.</summary>
    public static DocumentWrite Create(string container, string id, string partitionKey, object body) => new(DocumentWriteKind.Create, container, id, partitionKey, body);

    /// <summary>A replace of the version <paramref name="ifMatch"/>.</summary>
    public static DocumentWrite Replace(string container, string id, string partitionKey, object body, string ifMatch) => new(DocumentWriteKind.Replace, container, id, partitionKey, body, ifMatch);

    /// <summary>An upsert.</summary>
    public static DocumentWrite Upsert(string container, string id, string partitionKey, object body) => new(DocumentWriteKind.Upsert, container, id, partitionKey, body);

    /// <summary>A delete.</summary>
    public static DocumentWrite Delete(string container, string id, string partitionKey) => new(DocumentWriteKind.Delete, container, id, partitionKey);
}

/// <summary>One page of a partition's documents.</summary>
/// <typeparam name="T">The body type.</typeparam>
/// <param name="Documents">The documents of this page.</param>
/// <param name="Continuation">Pass back for the next page; null after the last.</param>
public sealed record DocumentPage<T>(IReadOnlyList<StoredDocument<T>> Documents, string? Continuation);

/// <summary>Where a document is: its id and partition key.</summary>
/// <param name="Id">The document id.</param>
/// <param name="PartitionKey">The partition key.</param>
public readonly record struct DocumentAddress(string Id, string PartitionKey);

/// <summary>A document found by <see cref="IDocumentStore.FindStampsAsync"/>: where it is and the stamp its last write left.</summary>
/// <param name="Id">The document id.</param>
/// <param name="PartitionKey">The partition holding it.</param>
/// <param name="Stamp">The stamp (<see cref="DocumentWrite.Stamp"/>).</param>
public readonly record struct DocumentStamp(string Id, string PartitionKey, string Stamp);
