using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The integer codes rows store instead of container names (<see cref="SqliteSchema"/>), cached once known: a code never
/// changes once given. Only the writer gives codes, each in its own committed statement before the write that needs it,
/// so a rolled-back write never leaves a cached code that the table does not hold.
/// </summary>
internal sealed class SqliteContainerCodes
{
    /// <summary>The code of a container that has none yet: it matches no row.</summary>
    public const long None = -1;

    private readonly ConcurrentDictionary<string, long> _codes = new(StringComparer.Ordinal);

    /// <summary>The container's code as a reader sees it: <see cref="None"/> when nothing was ever written to it.</summary>
    public long Find(SqliteConnection connection, string container)
    {
        if (_codes.TryGetValue(container, out var code))
        {
            return code;
        }

        var found = Lookup(connection, container);
        if (found is { } known)
        {
            _codes[container] = known;
        }

        return found ?? None;
    }

    /// <summary>The container's code for a write on the writer's connection, outside its transaction: given if new.</summary>
    public long Assign(SqliteConnection connection, string container)
    {
        if (_codes.TryGetValue(container, out var code))
        {
            return code;
        }

        if (Lookup(connection, container) is not { } known)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO containers (name, code) SELECT $name, max({SqliteSchema.FirstOtherCode - 1}, coalesce(max(code), 0)) + 1 FROM containers";
            command.Parameters.AddWithValue("$name", container);
            command.ExecuteNonQuery();
            known = Lookup(connection, container) ?? throw new InvalidOperationException("A container's code was not recorded.");
        }

        _codes[container] = known;
        return known;
    }

    private static long? Lookup(SqliteConnection connection, string container)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT code FROM containers WHERE name = $name";
        command.Parameters.AddWithValue("$name", container);
        return command.ExecuteScalar() is long code ? code : null;
    }
}
