namespace CustomerValue.Storage.Documents;

/// <summary>A create found a document with the same id and partition key (Cosmos DB 409).</summary>
public sealed class DocumentConflictException(string container, string id)
    : Exception($"Document '{id}' already exists in '{container}'.");

/// <summary>A conditional write found a newer version than the ETag it was given (Cosmos DB 412).</summary>
public sealed class DocumentPreconditionFailedException(string container, string id)
    : Exception($"Document '{id}' in '{container}' changed since it was read.");

/// <summary>A replace or delete found no document (Cosmos DB 404).</summary>
public sealed class DocumentNotFoundException(string container, string id)
    : Exception($"Document '{id}' does not exist in '{container}'.");
