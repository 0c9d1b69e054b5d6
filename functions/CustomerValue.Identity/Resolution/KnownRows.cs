using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// Recognises the records of a re-uploaded export that are already applied, by their order's id alone: one index query
/// for a whole batch, no profile, identity link or order body read, nothing written.
/// <para>
/// Each order an import writes carries a stamp (<see cref="DocumentWrite.Stamp"/>): a digest of the record that made
/// its version (everything the record says, but not which import sent it) and of the settings its identities were
/// matched under. A record whose order still carries its own digest was applied to the profile holding that order, and
/// applying it again changes nothing: its identities, names and order version are there, and facts only grow (names
/// and versions are last-writer-wins by their own time). Whatever takes facts away rewrites or deletes the order
/// (a merge moves it, an erasure deletes it, a newer version or a webhook replaces it), and a write without a stamp
/// clears it, so the record takes the full path again. Stores that keep no stamps recognise nothing.
/// </para>
/// </summary>
internal sealed class KnownRows
{
    private const int DigestBytes = 9; // 12 characters; only ever compared with the digest of the same order's id
    private readonly byte[] _context;
    private readonly IDocumentStore _store;

    /// <param name="store">The store holding the orders.</param>
    /// <param name="defaultRegion">The region phone numbers are read in: another one may match other identities.</param>
    /// <param name="links">The identity links: another lookup key finds other links.</param>
    public KnownRows(IDocumentStore store, string defaultRegion, IdentityLinkIndex links)
    {
        ArgumentNullException.ThrowIfNull(links);
        _store = store;
        var probe = links.LookupId(new IdentityKey(IdentityKind.Email, "stamp-context@customer-value.invalid"));
        _context = Encoding.UTF8.GetBytes($"{defaultRegion}|{probe}|");
    }

    /// <summary>The stamp each record's order is written with (null for records without an order).</summary>
    public string?[] StampsOf(IReadOnlyList<CustomerActivity> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var stamps = new string?[records.Count];
        // One hash and one buffer for the batch: a row costs its serialization and a hash, nothing else.
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Order is not { } order)
            {
                continue;
            }

            buffer.ResetWrittenCount();
            json.Reset(buffer);
            // Which import and row applied it is left out: a re-upload is another import of the same rows.
            JsonSerializer.Serialize(json, order.AppliedBy is null ? records[i] : records[i] with { Order = order with { AppliedBy = null } }, DocumentJson.Options);
            json.Flush();
            sha.AppendData(_context);
            sha.AppendData(buffer.WrittenSpan);
            sha.GetHashAndReset(hash);
            stamps[i] = Base64Url.EncodeToString(hash[..DigestBytes]);
        }

        return stamps;
    }

    /// <summary>
    /// Which records' orders carry the record's own stamp: one query for the batch. A record of an order held by two
    /// profiles (a merge under way) counts as known only when one of them carries its stamp.
    /// </summary>
    public async Task<bool[]> FindAsync(IReadOnlyList<CustomerActivity> records, string?[] stamps, CancellationToken cancellationToken)
    {
        var known = new bool[records.Count];
        var ids = new string?[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            ids[i] = records[i].Order is { } order && stamps[i] is not null ? ProfileOrders.DocumentId(order.OrderKey) : null;
        }

        var found = await _store.FindStampsAsync(ContainerNames.Orders, [.. ids.OfType<string>().Distinct(StringComparer.Ordinal)], cancellationToken);
        if (found.Count == 0)
        {
            return known;
        }

        var held = found.ToLookup(s => s.Id, s => s.Stamp, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            known[i] = ids[i] is { } id && held[id].Contains(stamps[i], StringComparer.Ordinal);
        }

        return known;
    }
}
