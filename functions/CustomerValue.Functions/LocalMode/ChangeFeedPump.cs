using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Functions.PublishSegmentChanges;
using CustomerValue.Functions.Host;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// Local stand-in for the Cosmos DB trigger: reads the store's change feed of the profiles container and hands
/// each batch to PublishSegmentChanges through its handler route, as the host would. The continuation is kept in
/// the leases container and advanced only after the handler succeeded, so a failed batch is delivered again
/// (with the exponential back-off of the function's retry policy).
/// </summary>
public sealed class ChangeFeedPump(IDocumentStore store, LocalTriggerClient triggers, ServerSettings settings, ILogger<ChangeFeedPump> logger)
    : PollingTrigger(settings.ChangeFeedPollInterval, logger)
{
    /// <summary>The lease document that holds the local continuation.</summary>
    public const string LeaseId = "local-publish-profiles";

    private const int MaxItemsPerInvocation = 100;

    /// <inheritdoc />
    protected override async Task<PollOutcome> PollOnceAsync(CancellationToken cancellationToken) =>
        await PumpOnceAsync(cancellationToken) > 0 ? PollOutcome.Worked : PollOutcome.Idle;

    /// <summary>The retry policy of PublishSegmentChanges: exponential back-off from 5 s to 5 min, forever.</summary>
    protected override TimeSpan RetryDelay(int failures) => TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, Math.Min(failures - 1, 6))));

    private async Task<int> PumpOnceAsync(CancellationToken cancellationToken)
    {
        var lease = await store.ReadAsync<ChangeFeedLease>(ContainerNames.Leases, LeaseId, LeaseId, cancellationToken);
        var page = await store.ReadChangeFeedAsync<JsonElement>(ContainerNames.Profiles, lease?.Body.Continuation, MaxItemsPerInvocation, cancellationToken);
        if (page.Documents.Count == 0)
        {
            return 0;
        }

        var documents = new JsonArray([.. page.Documents.Select(WithSystemProperties)]);
        var payload = HostPayloads.CosmosDocuments(PublishSegmentChangesFunction.DocumentsBinding, PublishSegmentChangesFunction.Name, documents.ToJsonString());
        var (status, body) = await triggers.InvokeAsync(PublishSegmentChangesFunction.Name, payload, cancellationToken);
        if (status is < 200 or > 299)
        {
            throw new InvalidOperationException($"{PublishSegmentChangesFunction.Name} answered {status}: {body}");
        }

        var next = new ChangeFeedLease(LeaseId, page.Continuation, DateTimeOffset.UtcNow);
        await store.UpsertAsync(ContainerNames.Leases, LeaseId, LeaseId, next, cancellationToken);
        return page.Documents.Count;
    }

    /// <summary>Adds the system property a Cosmos DB change-feed document carries (<c>_etag</c>).</summary>
    private static JsonNode WithSystemProperties(StoredDocument<JsonElement> document)
    {
        var node = JsonObject.Create(document.Body)!;
        node["_etag"] = document.ETag;
        return node;
    }
}

/// <summary>The local change-feed checkpoint.</summary>
/// <param name="Id">Lease id.</param>
/// <param name="Continuation">Where the next read starts.</param>
/// <param name="UpdatedAt">When it last advanced.</param>
public sealed record ChangeFeedLease(string Id, string Continuation, DateTimeOffset UpdatedAt);
