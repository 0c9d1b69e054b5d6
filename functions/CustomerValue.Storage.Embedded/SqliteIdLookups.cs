using System.Text;
using System.Text.RegularExpressions;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The embedded store's indexes for <see cref="IdLookups"/>: one partial index per searchable container, on the first
/// <see cref="PrefixBytes"/> bytes of the id rather than the whole id (an order's id is a hash, so its first 6 bytes
/// already tell one order from another; the query then compares the whole id): 8 bytes an entry instead of 22.
/// The documents table is keyed by (container, pk, id), which cannot find an id without its partition; indexing only
/// these containers keeps the index small. SQLite uses a partial index only when the query names the container as the
/// same literal, so the query text is built per container (from the constant list, never from input).
/// </summary>
internal static partial class SqliteIdLookups
{
    /// <summary>The indexes, idempotent (run on every open; built once over the documents already there).</summary>
    public static string Schema(IEnumerable<string> containers)
    {
        var sql = new StringBuilder();
        foreach (var container in containers)
        {
            sql.Append($"CREATE INDEX IF NOT EXISTS {IndexName(container)} ON docs (substr(id, 1, {PrefixBytes})) WHERE container = {Code(container)};\n");
        }

        return sql.ToString();
    }

    /// <summary>
    /// The documents of one searchable container with the id <c>$id</c>: rows of (pk, id, body, seq), pk NULL when it is
    /// the id. The index is named: left to itself, the planner may prefer walking the container's part of the key index,
    /// every document.
    /// </summary>
    public static string Query(string container) =>
        $"SELECT pk, id, body, seq FROM docs INDEXED BY {IndexName(container)} WHERE container = {Code(container)} AND substr(id, 1, {PrefixBytes}) = substr($id, 1, {PrefixBytes}) AND id = $id";

    /// <summary>
    /// The stamps of one searchable container's documents whose id is in the JSON array <c>$ids</c>: rows of (pk, id,
    /// stamp), pk NULL when it is the id, the body never read. One index probe per id; documents without a stamp are left out.
    /// </summary>
    public static string StampQuery(string container) =>
        $"""
        SELECT pk, id, stamp FROM docs INDEXED BY {IndexName(container)} WHERE container = {Code(container)}
        AND substr(id, 1, {PrefixBytes}) IN (SELECT substr(cv_key(value), 1, {PrefixBytes}) FROM json_each($ids))
        AND id IN (SELECT cv_key(value) FROM json_each($ids)) AND stamp IS NOT NULL
        """;

    /// <summary>
    /// Which (id, stamp) pairs of the JSON array <c>$pairs</c> one searchable container's documents carry: each element is
    /// <c>[key, encoded, stamp]</c>, the key in hex when <c>encoded</c> is 1 (the stored blob, <see cref="StoredKeys"/>)
    /// and as text when 0. Rows of (position, NULL) for a document carrying the stamp and (position, stamp) for one
    /// carrying another: the stamps are compared here, so a re-upload's duplicates come back as numbers, not strings.
    /// The pairs are the outer loop, one probe of the id index each; keys are decoded from hex in SQL, not by calling
    /// back into .NET per id.
    /// </summary>
    public static string MatchStampQuery(string container) =>
        $"""
        WITH q(i, k, s) AS MATERIALIZED (
            SELECT key, CASE WHEN value ->> 1 = 1 THEN unhex(value ->> 0) ELSE value ->> 0 END, value ->> 2 FROM json_each($pairs))
        SELECT q.i, CASE WHEN d.stamp = q.s THEN NULL ELSE d.stamp END
        FROM q CROSS JOIN docs d INDEXED BY {IndexName(container)}
        WHERE d.container = {Code(container)} AND substr(d.id, 1, {PrefixBytes}) = substr(q.k, 1, {PrefixBytes}) AND d.id = q.k
        AND d.stamp IS NOT NULL
        """;

    /// <summary>How much of an id the index keeps: bytes of an encoded key (<see cref="StoredKeys"/>), characters of a text one.</summary>
    private const int PrefixBytes = 8;

    private static string IndexName(string container) => $"docs_{Checked(container)}_by_id";

    // Searchable containers are known ones, whose codes are fixed (SqliteSchema): the partial index names the literal.
    private static int Code(string container) => SqliteSchema.KnownCode(Checked(container));

    private static string Checked(string container) =>
        Identifier().IsMatch(container) ? container : throw new ArgumentException($"Container names in SQL must be plain identifiers: {container}.", nameof(container));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex Identifier();
}
