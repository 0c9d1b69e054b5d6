using System.Text;
using System.Text.Json;
using CustomerValue.Storage.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// Keeps the <see cref="SqliteArrayIndex"/> side table in step with the documents the writer changes, inside the same
/// transaction (so a rolled-back write set rolls its index rows back too). It is maintained here rather than by triggers
/// on the documents table: a trigger makes SQLite open a statement journal for every write, and releasing one inside a
/// large write set walks the whole in-memory sub-journal, which made first imports three times slower. Only the
/// difference between the stored and the new values is written, so a profile rewritten with the same segments costs
/// one indexed read.
/// </summary>
internal sealed class SqliteArrayIndexWriter : IDisposable
{
    private readonly IReadOnlyList<(IndexedArray Array, byte[] Utf8Property)> _arrays;
    private readonly PreparedStatement _values, _add, _remove, _removeDocument;

    public SqliteArrayIndexWriter(SqliteConnection connection, IReadOnlyList<IndexedArray> arrays)
    {
        _arrays = [.. arrays.Select(a => (a, Encoding.UTF8.GetBytes(a.Property)))];
        _values = new PreparedStatement(connection,
            "SELECT value FROM array_index WHERE container = $c AND id = $id AND pk = $pk AND property = $p", "$c", "$id", "$pk", "$p");
        _add = new PreparedStatement(connection,
            "INSERT OR IGNORE INTO array_index (container, property, value, id, pk) VALUES ($c, $p, $v, $id, $pk)", "$c", "$p", "$v", "$id", "$pk");
        _remove = new PreparedStatement(connection,
            "DELETE FROM array_index WHERE container = $c AND property = $p AND value = $v AND id = $id AND pk = $pk", "$c", "$p", "$v", "$id", "$pk");
        _removeDocument = new PreparedStatement(connection,
            "DELETE FROM array_index WHERE container = $c AND id = $id AND pk = $pk", "$c", "$id", "$pk");
    }

    /// <summary>
    /// After a document was written: its index rows become the string elements of its indexed arrays. When
    /// <paramref name="isNew"/> (a create), no version existed before and there is nothing to read first.
    /// </summary>
    public void Written(SqliteTransaction transaction, string container, string id, string partitionKey, byte[] body, bool isNew)
    {
        foreach (var (array, utf8Property) in _arrays)
        {
            if (array.Container != container)
            {
                continue;
            }

            var wanted = SqliteArrayIndex.StringElements(body, utf8Property);
            var stored = isNew ? [] : Stored(transaction, container, id, partitionKey, array.Property);
            foreach (var value in stored)
            {
                if (!wanted.Contains(value))
                {
                    _remove.In(transaction, container, array.Property, value, id, partitionKey).ExecuteNonQuery();
                }
            }

            foreach (var value in wanted)
            {
                if (!stored.Contains(value))
                {
                    _add.In(transaction, container, array.Property, value, id, partitionKey).ExecuteNonQuery();
                }
            }
        }
    }

    /// <summary>After a document was deleted: it leaves every index.</summary>
    public void Deleted(SqliteTransaction transaction, string container, string id, string partitionKey)
    {
        if (_arrays.Any(a => a.Array.Container == container))
        {
            _removeDocument.In(transaction, container, id, partitionKey).ExecuteNonQuery();
        }
    }

    private List<string> Stored(SqliteTransaction transaction, string container, string id, string partitionKey, string property)
    {
        var values = new List<string>();
        using var reader = _values.In(transaction, container, id, partitionKey, property).ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public void Dispose()
    {
        _values.Dispose();
        _add.Dispose();
        _remove.Dispose();
        _removeDocument.Dispose();
    }
}
