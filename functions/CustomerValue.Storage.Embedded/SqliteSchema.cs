using System.Globalization;
using System.Text;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The store's tables, and the migration of stores written by earlier versions. Documents live in <c>docs</c>, where a
/// key costs as little as it can: the container is a small integer (<c>containers</c> maps names to codes), the partition
/// key is NULL when it equals the id (profiles, identity links, leases: the id is then stored once), keys of the form
/// word-dash-hex are stored as blobs of half the size (<see cref="StoredKeys"/>: the columns are declared BLOB, without
/// affinity, and hold text or blobs), and there is no
/// ETag column (the ETag is derived from <c>seq</c>, the write's place in the store-wide sequence, as before). The key
/// index (container, pk, id) serves point reads, partitions and scans; the change-feed index (container, seq) the feeds.
/// <para>
/// Earlier versions kept a <c>documents</c> table (container and partition key as text, an ETag column, the key
/// stored in full in the row and in its index). Opening such a store copies its rows into <c>docs</c> and drops the old
/// table, in one transaction: a crash leaves the old table whole, and the next open migrates again. Bodies are copied
/// as they are (<see cref="StoredBodies"/> reads every earlier encoding); ETags stay the same, since earlier versions
/// also derived them from <c>seq</c>.
/// </para>
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The tables and indexes, idempotent (run on every open).</summary>
    public static string Tables()
    {
        var sql = new StringBuilder("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS containers (name TEXT PRIMARY KEY, code INTEGER NOT NULL UNIQUE) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS docs (
                container INTEGER NOT NULL,
                pk BLOB,
                id BLOB NOT NULL,
                body BLOB NOT NULL,
                seq INTEGER NOT NULL,
                stamp TEXT);
            CREATE UNIQUE INDEX IF NOT EXISTS docs_key ON docs (container, pk, id);
            CREATE INDEX IF NOT EXISTS docs_change_feed ON docs (container, seq);
            CREATE TABLE IF NOT EXISTS sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO sequence (name, value) VALUES ('writes', 0);

            """);
        // The known containers get fixed codes (SQL text may name them, e.g. in partial indexes); others are numbered
        // from 100 as they are first written.
        foreach (var (name, code) in KnownCodes)
        {
            sql.Append(CultureInfo.InvariantCulture, $"INSERT OR IGNORE INTO containers (name, code) VALUES ('{name}', {code});\n");
        }

        return sql.ToString();
    }

    /// <summary>
    /// The fixed codes of the known containers. Every stored row carries its container's code, so a code is never
    /// changed or reused: a new container gets the next free code below <see cref="FirstOtherCode"/>, and the order of
    /// <see cref="ContainerNames.All"/> (which Cosmos DB also reads) does not matter here.
    /// </summary>
    public static IReadOnlyDictionary<string, int> KnownCodes { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [ContainerNames.Profiles] = 1,
        [ContainerNames.Orders] = 2,
        [ContainerNames.Identities] = 3,
        [ContainerNames.Deliveries] = 4,
        [ContainerNames.Imports] = 5,
        [ContainerNames.Runs] = 6,
        [ContainerNames.Publications] = 7,
        [ContainerNames.Segments] = 8,
        [ContainerNames.Outbound] = 9,
        [ContainerNames.Destinations] = 10,
        [ContainerNames.Leases] = 11,
    };

    /// <summary>The code of a known container (<see cref="KnownCodes"/>), as <see cref="Tables"/> assigns it.</summary>
    public static int KnownCode(string container) => KnownCodes.TryGetValue(container, out var code)
        ? code
        : throw new ArgumentException($"{container} is not a known container.", nameof(container));

    /// <summary>The first code given to a container that is not a known one.</summary>
    public const int FirstOtherCode = 100;

    /// <summary>
    /// Moves the rows of an earlier version's <c>documents</c> table into <c>docs</c> and drops it (with its indexes and
    /// triggers), in one transaction. <paramref name="hasStamp"/>: whether that table has the <c>stamp</c> column.
    /// </summary>
    public static string MigrateDocuments(bool hasStamp) => $"""
        BEGIN IMMEDIATE;
        INSERT INTO containers (name, code)
            SELECT name, max({FirstOtherCode - 1}, (SELECT max(code) FROM containers)) + row_number() OVER (ORDER BY name)
            FROM (SELECT DISTINCT container AS name FROM documents WHERE container NOT IN (SELECT name FROM containers));
        INSERT INTO docs (container, pk, id, body, seq, stamp)
            SELECT c.code, cv_key(CASE WHEN d.pk = d.id THEN NULL ELSE d.pk END), cv_key(d.id), d.body, d.seq, {(hasStamp ? "d.stamp" : "NULL")}
            FROM documents d JOIN containers c ON c.name = d.container
            ORDER BY d.rowid;
        DROP TABLE documents;
        COMMIT;
        """;

    /// <summary>The partition key column's value for a document: NULL when it is the id, which the row already holds.</summary>
    public static string? StoredPartitionKey(string id, string partitionKey) => partitionKey == id ? null : partitionKey;
}
