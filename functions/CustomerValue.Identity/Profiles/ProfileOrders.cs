using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// The orders container: one document per order (its latest version, refunds included), partitioned by the profile
/// that holds it, so one person's orders are read together and never make their profile document grow. Orders are
/// written in the same write set as their profile (<see cref="IDocumentStore.WriteAllAsync"/>), after the profile's
/// ETag check, so the profile's <see cref="OrderTotals"/> and its orders agree.
/// </summary>
public sealed class ProfileOrders(IDocumentStore store)
{
    /// <summary>Orders read per page when a profile's orders are read in full.</summary>
    public const int PageSize = 1000;

    /// <summary>The document id of an order: a hash of its key (keys may hold characters ids may not).</summary>
    public static string DocumentId(string orderKey)
    {
        ArgumentNullException.ThrowIfNull(orderKey);
        // "o-" and the first 40 hex digits of the key's SHA-256, built without the intermediate strings: imports compute
        // it once or twice per row.
        var utf8 = orderKey.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(orderKey.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(orderKey.Length)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(orderKey, utf8)], hash);
        Span<char> id = stackalloc char[42];
        id[0] = 'o';
        id[1] = '-';
        Convert.TryToHexStringLower(hash[..20], id[2..], out _);
        return new string(id);
    }

    /// <summary>
    /// The profiles holding a document of the order, the one with its newest version first (ties by id): one index
    /// lookup of the order's id across partitions. Usually one or none; two for a moment while a merge moves orders
    /// (the absorbed one redirects to the survivor), or when two people's records named the same order.
    /// </summary>
    public async Task<IReadOnlyList<string>> HoldersAsync(string orderKey, CancellationToken cancellationToken = default) =>
        [.. (await store.FindByIdAsync<OrderRecord>(ContainerNames.Orders, DocumentId(orderKey), cancellationToken))
            .OrderByDescending(d => d.Body.VersionAt).ThenBy(d => d.PartitionKey, StringComparer.Ordinal).Select(d => d.PartitionKey)];

    /// <summary>Point read of one order of a profile; null when the profile does not hold it.</summary>
    public async Task<OrderRecord?> ReadAsync(string profileId, string orderKey, CancellationToken cancellationToken = default) =>
        (await store.ReadAsync<OrderRecord>(ContainerNames.Orders, DocumentId(orderKey), profileId, cancellationToken))?.Body;

    /// <summary>The held versions of some orders of a profile, by order key (point reads, together).</summary>
    public async Task<Dictionary<string, OrderRecord>> ReadManyAsync(string profileId, IEnumerable<string> orderKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderKeys);
        var keys = orderKeys.Distinct(StringComparer.Ordinal).ToList();
        var reads = keys.Select(key => ReadAsync(profileId, key, cancellationToken)).ToList();
        var found = await Task.WhenAll(reads);
        var held = new Dictionary<string, OrderRecord>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (found[i] is { } order)
            {
                held[keys[i]] = order;
            }
        }

        return held;
    }

    /// <summary>One page of a profile's orders (in the store's order, the same on every page).</summary>
    public async Task<DocumentPage<OrderRecord>> PageAsync(string profileId, string? continuation, int limit, CancellationToken cancellationToken = default) =>
        await store.ReadPartitionAsync<OrderRecord>(ContainerNames.Orders, profileId, continuation, limit, cancellationToken);

    /// <summary>Every order of a profile, page by page.</summary>
    public async IAsyncEnumerable<OrderRecord> AllAsync(string profileId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? continuation = null;
        do
        {
            var page = await PageAsync(profileId, continuation, PageSize, cancellationToken);
            foreach (var document in page.Documents)
            {
                yield return document.Body;
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    /// <summary>Every order of a profile in a list.</summary>
    public async Task<List<OrderRecord>> ListAsync(string profileId, CancellationToken cancellationToken = default)
    {
        var orders = new List<OrderRecord>();
        await foreach (var order in AllAsync(profileId, cancellationToken))
        {
            orders.Add(order);
        }

        return orders;
    }

    /// <summary>The write that stores an order version on a profile.</summary>
    public static DocumentWrite Put(string profileId, OrderRecord order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return DocumentWrite.Upsert(ContainerNames.Orders, DocumentId(order.OrderKey), profileId, order);
    }

    /// <summary>The write that removes an order from a profile.</summary>
    public static DocumentWrite Remove(string profileId, string orderKey) =>
        DocumentWrite.Delete(ContainerNames.Orders, DocumentId(orderKey), profileId);

    /// <summary>The write that stores a profile: created when <paramref name="etag"/> is null, else replaced by ETag.</summary>
    public static DocumentWrite Profile(CustomerProfile profile, string? etag)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return etag is null
            ? DocumentWrite.Create(ContainerNames.Profiles, profile.Id, profile.Id, profile)
            : DocumentWrite.Replace(ContainerNames.Profiles, profile.Id, profile.Id, profile, etag);
    }
}
