namespace CustomerValue.Storage.Documents;

/// <summary>A document as stored: its body plus the concurrency token of this version.</summary>
/// <typeparam name="T">The body type.</typeparam>
/// <param name="Id">Document id, unique within its partition.</param>
/// <param name="PartitionKey">Partition key value.</param>
/// <param name="Body">The document.</param>
/// <param name="ETag">Opaque version token; pass it back to replace only this version.</param>
public sealed record StoredDocument<T>(string Id, string PartitionKey, T Body, string ETag);

/// <summary>One page of a container's change feed: the latest version of each document changed since the continuation.</summary>
/// <typeparam name="T">The body type.</typeparam>
/// <param name="Documents">Changed documents, in change order.</param>
/// <param name="Continuation">Pass back to read only later changes.</param>
public sealed record ChangeFeedPage<T>(IReadOnlyList<StoredDocument<T>> Documents, string Continuation);
