using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// Writes a store file as earlier versions left it, by their DDL and rows: the <c>documents</c> table (container and
/// partition key as text, an ETag column beside the sequence, the key in a UNIQUE constraint), its change-feed and
/// id-lookup indexes, the sequence and the array index.
/// </summary>
internal static class LegacyStoreFile
{
    /// <summary>The DDL of the version before the compact table (with the <c>stamp</c> column when <paramref name="withStamps"/>).</summary>
    public static string Schema(bool withStamps = true) => $"""
        PRAGMA journal_mode = WAL;
        CREATE TABLE documents (
            container TEXT NOT NULL,
            pk TEXT NOT NULL,
            id TEXT NOT NULL,
            body TEXT NOT NULL,
            etag TEXT NOT NULL,
            seq INTEGER NOT NULL,{(withStamps ? "\n    stamp TEXT," : "")}
            UNIQUE (container, pk, id));
        CREATE INDEX documents_change_feed ON documents (container, seq);
        CREATE TABLE sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO sequence (name, value) VALUES ('writes', 0);
        CREATE TABLE array_index (
            container TEXT NOT NULL,
            property TEXT NOT NULL,
            value TEXT NOT NULL,
            id TEXT NOT NULL,
            pk TEXT NOT NULL,
            PRIMARY KEY (container, property, value, id, pk)) WITHOUT ROWID;
        CREATE INDEX array_index_document ON array_index (container, id, pk);
        INSERT INTO sequence (name, value) VALUES ('array_index_profiles_segments', 1);
        CREATE INDEX documents_orders_by_id ON documents (id) WHERE container = 'orders';
        """;

    /// <summary>Creates the file with <paramref name="schema"/>, then runs <paramref name="rows"/> (inserts of that version's rows).</summary>
    public static void Create(string path, string schema, string rows)
    {
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = schema + rows;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>The ETag earlier versions wrote for a sequence number (the same as this version derives).</summary>
    public static string ETag(long sequence) => $"\"{sequence:x16}\"";
}
