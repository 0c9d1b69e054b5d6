using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Embedded;

/// <summary>A command prepared once on the writer's connection and re-run with new parameter values.</summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    public PreparedStatement(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        // No declared type: each value binds as what it is (text, blob or integer).
        _parameters = [.. parameterNames.Select(name => _command.Parameters.Add(new SqliteParameter(name, null)))];
    }

    public SqliteCommand In(SqliteTransaction transaction, params object?[] values)
    {
        _command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return _command;
    }

    public void Dispose() => _command.Dispose();
}
