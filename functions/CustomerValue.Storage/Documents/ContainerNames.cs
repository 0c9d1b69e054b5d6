namespace CustomerValue.Storage.Documents;

/// <summary>
/// The containers of the store. Every document is addressed by id and partition key; the stores keep the partition key
/// in a <c>pk</c> property and partition every container on <c>/pk</c>, except <see cref="Leases"/> (on <c>/id</c>, as
/// the Cosmos DB trigger requires). The app chooses partition keys so that ingestion is point reads and writes (about
/// 1 RU each in Cosmos DB) and never a cross-partition query.
/// </summary>
public static class ContainerNames
{
    /// <summary>One document per person; the change feed of this container drives PublishSegmentChanges.</summary>
    public const string Profiles = "profiles";

    /// <summary>
    /// Orders, one document per order (its latest version, refunds included), partitioned by the profile that holds it,
    /// so that one person's orders are read together and a profile document stays small however much they buy.
    /// </summary>
    public const string Orders = "orders";

    /// <summary>Identity lookups: id = a keyed hash of the identity (<c>IdentityLookupIds</c>) → profile id.</summary>
    public const string Identities = "identities";

    /// <summary>Webhook deliveries already processed (dedupe by the platform's delivery id).</summary>
    public const string Deliveries = "deliveries";

    /// <summary>POS export imports: progress checkpoints and reports.</summary>
    public const string Imports = "imports";

    /// <summary>Recompute runs and the segment summary.</summary>
    public const string Runs = "runs";

    /// <summary>Per profile, the segment memberships already published to destinations.</summary>
    public const string Publications = "publications";

    /// <summary>Custom segment definitions saved through <c>PUT api/segments/{name}</c> (id = segment name).</summary>
    public const string Segments = "segments";

    /// <summary>Per destination (partition key = its name), the batches of changes waiting to be delivered, in order.</summary>
    public const string Outbound = "outbound";

    /// <summary>Per destination (partition key = its name), its delivery state and its dead letters.</summary>
    public const string Destinations = "destinations";

    /// <summary>Change feed leases (Cosmos DB trigger and processor).</summary>
    public const string Leases = "leases";

    /// <summary>Every container the app needs, in creation order.</summary>
    public static IReadOnlyList<string> All { get; } = [Profiles, Orders, Identities, Deliveries, Imports, Runs, Publications, Segments, Outbound, Destinations, Leases];
}
