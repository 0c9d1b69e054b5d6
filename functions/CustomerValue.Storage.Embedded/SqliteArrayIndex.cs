using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The embedded store's index of <see cref="IndexedArrays"/>: a table of (container, property, value, id, pk) rows kept
/// by the single writer (<see cref="SqliteArrayIndexWriter"/>) in the same transaction as the document, whoever asked
/// for the write (the recompute, the real-time path, merges, erasure). Cosmos DB indexes every path itself; SQLite
/// cannot index the elements of a JSON array, hence the side table. A store opened for the first time with the index
/// fills it once from the documents already there.
/// </summary>
internal static partial class SqliteArrayIndex
{
    /// <summary>
    /// Members of one array value in id order after a given id: rows of (pk, id, body, seq). The index keeps the
    /// container's name (<c>$name</c>) and the real partition key; the documents table the container's code (<c>$c</c>)
    /// and NULL for a partition key that is the id (<see cref="SqliteSchema"/>), and encoded keys (<see cref="StoredKeys"/>).
    /// </summary>
    public const string Query = """
        SELECT a.pk, a.id, d.body, d.seq FROM array_index a
        JOIN docs d ON d.container = $c AND d.pk IS cv_key(nullif(a.pk, a.id)) AND d.id = cv_key(a.id)
        WHERE a.container = $name AND a.property = $p AND a.value = $v AND a.id > $after
        ORDER BY a.id, a.pk LIMIT $limit
        """;

    /// <summary>The table and the one-off fill, idempotent (run on every open).</summary>
    public static string Schema(IEnumerable<IndexedArray> arrays)
    {
        var sql = new StringBuilder("""
            CREATE TABLE IF NOT EXISTS array_index (
                container TEXT NOT NULL,
                property TEXT NOT NULL,
                value TEXT NOT NULL,
                id TEXT NOT NULL,
                pk TEXT NOT NULL,
                PRIMARY KEY (container, property, value, id, pk)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS array_index_document ON array_index (container, id, pk);
            BEGIN IMMEDIATE;
            """);
        foreach (var array in arrays)
        {
            var name = Name(array);
            // Stores written by an earlier version kept the index by triggers; the writer keeps it now (see
            // SqliteArrayIndexWriter for why), and the rows the triggers kept stay valid.
            // Bodies are UTF-8 JSON stored as blobs; SQLite reads a blob given to its JSON functions as JSONB, so cast.
            // Only plain JSON bodies ('{') can be read here: a store reaches this fill only with bodies of versions that
            // kept profiles plain, and the guard keeps a compressed one from failing the open.
            sql.Append($"""
                DROP TRIGGER IF EXISTS {name}_insert;
                DROP TRIGGER IF EXISTS {name}_update;
                DROP TRIGGER IF EXISTS {name}_delete;
                INSERT OR IGNORE INTO sequence (name, value) VALUES ('{name}', 0);
                INSERT OR IGNORE INTO array_index (container, property, value, id, pk)
                    SELECT '{array.Container}', '{array.Property}', e.value, cv_key_text(d.id), cv_key_text(coalesce(d.pk, d.id))
                    FROM docs d, json_each(CAST(d.body AS TEXT), '$.{array.Property}') AS e
                    WHERE d.container = {SqliteSchema.KnownCode(array.Container)} AND hex(substr(d.body, 1, 1)) = '7B' AND e.type = 'text'
                    AND (SELECT value FROM sequence WHERE name = '{name}') = 0;
                UPDATE sequence SET value = 1 WHERE name = '{name}';

                """);
        }

        return sql.Append("COMMIT;").ToString();
    }

    /// <summary>
    /// The distinct string elements of a top-level array property of a UTF-8 JSON object, as SQLite's <c>json_each</c>
    /// gives them to the one-off fill (unescaped; numbers, nested arrays and objects ignored). Empty when the property
    /// is missing or not an array.
    /// </summary>
    public static HashSet<string> StringElements(ReadOnlySpan<byte> body, ReadOnlySpan<byte> utf8Property)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return values;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIndexed = reader.ValueTextEquals(utf8Property);
            reader.Read();
            if (!isIndexed || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    values.Add(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }

            return values;
        }

        return values;
    }

    // Names go into SQL text: only plain identifiers are accepted (they are constants of IndexedArrays).
    private static string Name(IndexedArray array) =>
        Identifier().IsMatch(array.Container) && Identifier().IsMatch(array.Property)
            ? $"array_index_{array.Container}_{array.Property}"
            : throw new ArgumentException($"Indexed array names must be plain identifiers: {array.Container}.{array.Property}.", nameof(array));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex Identifier();
}
