using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// How ids and partition keys are kept in the <c>pk</c> and <c>id</c> columns. Most of this store's keys are a short
/// word, a dash and a hash in lowercase hex (<c>o-</c> and 40 digits for an order, <c>cp-</c> and 24 for a profile,
/// <c>email-</c> and 64 for an identity link), stored once in the row and once in the key index: such a key is stored
/// as a blob of the word, the dash and the hash's bytes, half the size. Any other key stays text.
/// <para>
/// The encoding keeps the order of keys of that form (the same word, then the hash's bytes compare as its digits
/// do), and SQLite orders every text before every blob: keyset pagination compares encoded keys with encoded keys, so
/// it pages through each document once whatever mix a container holds. SQL that starts from text (a JSON array of ids,
/// the array index's text keys) calls <see cref="SqlFunction"/>, registered on every connection of the store.
/// </para>
/// </summary>
internal static class StoredKeys
{
    /// <summary>The SQL function that encodes a key: <c>cv_key(text)</c>.</summary>
    public const string SqlFunction = "cv_key";

    private const int MaxWord = 16;
    private const int MinDigits = 8;

    /// <summary>What the column receives for the key: a blob for word-dash-hex keys, else the text itself.</summary>
    public static object Encode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var dash = WordLength(key);
        if (dash < 0)
        {
            return key;
        }

        var digits = key.Length - dash - 1;
        var encoded = new byte[dash + 1 + (digits / 2)];
        Encoding.ASCII.GetBytes(key.AsSpan(0, dash + 1), encoded);
        Convert.FromHexString(key.AsSpan(dash + 1), encoded.AsSpan(dash + 1), out _, out _);
        return encoded;
    }

    /// <summary>The key a column holds, text or an encoded blob.</summary>
    public static string Decode(ReadOnlySpan<byte> stored, bool isBlob)
    {
        if (!isBlob)
        {
            return Encoding.UTF8.GetString(stored);
        }

        var dash = stored.IndexOf((byte)'-');
        if (dash < 0)
        {
            throw new InvalidDataException("A stored key blob has no word.");
        }

        return string.Create(dash + 1 + ((stored.Length - dash - 1) * 2), (Bytes: stored.ToArray(), Dash: dash), static (chars, state) =>
        {
            Encoding.ASCII.GetChars(state.Bytes.AsSpan(0, state.Dash + 1), chars);
            Convert.TryToHexStringLower(state.Bytes.AsSpan(state.Dash + 1), chars[(state.Dash + 1)..], out _);
        });
    }

    /// <summary>The key in column <paramref name="ordinal"/> of an ADO.NET reader row.</summary>
    public static string Read(SqliteDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(byte[])
            ? Decode(reader.GetFieldValue<byte[]>(ordinal), isBlob: true)
            : reader.GetString(ordinal);

    /// <summary>The SQL function that decodes a column's key back to text: <c>cv_key_text(key)</c>.</summary>
    public const string SqlTextFunction = "cv_key_text";

    /// <summary>Registers <see cref="SqlFunction"/> and <see cref="SqlTextFunction"/> on a connection (deterministic, so the planner may use them).</summary>
    public static void Register(SqliteConnection connection)
    {
        connection.CreateFunction<string?, object?>(SqlFunction, key => key is null ? null : Encode(key), isDeterministic: true);
        connection.CreateFunction<object?, string?>(SqlTextFunction, stored => stored switch
        {
            byte[] blob => Decode(blob, isBlob: true),
            string text => text,
            _ => null,
        }, isDeterministic: true);
    }

    /// <summary>Where the word's dash is when the key is a word (a-z, at most 16), a dash and an even number (at least 8) of lowercase hex digits; else -1.</summary>
    private static int WordLength(string key)
    {
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        if (dash is < 1 or > MaxWord)
        {
            return -1;
        }

        for (var i = 0; i < dash; i++)
        {
            if (key[i] is < 'a' or > 'z')
            {
                return -1;
            }
        }

        var digits = key.Length - dash - 1;
        if (digits < MinDigits || digits % 2 != 0)
        {
            return -1;
        }

        return key.AsSpan(dash + 1).ContainsAnyExcept(LowerHex) ? -1 : dash;
    }

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");
}
