using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Privacy;
using CustomerValue.Identity.Resolution;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Application.Webhooks;

/// <summary>How a delivery was handled; the endpoint maps it to an HTTP status.</summary>
public enum WebhookOutcomeKind
{
    /// <summary>Processed (200).</summary>
    Accepted,

    /// <summary>Already processed earlier: a retry (200, nothing done).</summary>
    Duplicate,

    /// <summary>A connectivity check (200).</summary>
    Ping,

    /// <summary>Missing, wrong or expired signature (401, nothing processed).</summary>
    Unauthorized,

    /// <summary>The payload cannot be used (400).</summary>
    Invalid,
}

/// <summary>What handling a delivery did.</summary>
/// <param name="Kind">The outcome.</param>
/// <param name="Message">Human-readable detail, safe to return to the caller (no personal data).</param>
/// <param name="ProfilesChanged">Profiles created or updated.</param>
/// <param name="ProfilesUnchanged">Records that changed nothing (a stale or repeated version).</param>
/// <param name="Anonymous">Records that named nobody.</param>
public sealed record WebhookOutcome(WebhookOutcomeKind Kind, string Message, int ProfilesChanged = 0, int ProfilesUnchanged = 0, int Anonymous = 0);

/// <summary>
/// Verifies, parses, de-duplicates and applies one webhook delivery. The signature is checked before anything
/// is read; a delivery id already processed is answered without processing; every record goes through identity
/// resolution, whose order versioning makes a repeated record (e.g. the same order via orders/create and
/// orders/paid, or a retry that slipped past de-duplication) change nothing.
/// </summary>
public sealed class WebhookIngestor(WebhookSecrets secrets, ProfileResolver resolver, ProfileEraser eraser, IDocumentStore store, TimeProvider clock, ILogger<WebhookIngestor> logger)
{
    /// <summary>Handles a delivery for a platform known to <see cref="WebhookPlatforms"/>.</summary>
    public async Task<WebhookOutcome> IngestAsync(IWebhookPlatform platform, WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(request);
        var signature = platform.Verify(request, secrets);
        if (signature != SignatureCheck.Valid)
        {
            logger.LogWarning("Rejected a {Platform} webhook: signature {Signature}", platform.Name, signature);
            return new WebhookOutcome(WebhookOutcomeKind.Unauthorized, signature switch
            {
                SignatureCheck.Missing => "The webhook is not signed, or no secret is configured for its source.",
                SignatureCheck.Expired => "The webhook timestamp is outside the accepted 5-minute window.",
                SignatureCheck.NotConfigured => "No signing secret is configured for this platform or source.",
                _ => "The webhook signature does not match.",
            });
        }

        var parsed = platform.Parse(request);
        if (!parsed.Succeeded)
        {
            logger.LogWarning("Rejected a {Platform} webhook: {Error}", platform.Name, parsed.Error);
            return new WebhookOutcome(WebhookOutcomeKind.Invalid, parsed.Error);
        }

        var webhook = parsed.Webhook;
        if (webhook.IsPing)
        {
            return new WebhookOutcome(WebhookOutcomeKind.Ping, "Ping received.");
        }

        // The body's hash is part of the key: retries repeat the body exactly, while WooCommerce's delivery id (a hash
        // of the webhook id and the current second) can repeat for two different deliveries in one second.
        var bodyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(request.Body.Span))[..16];
        var deliveryId = "wh-" + IdentityKey.Sha256Hex($"{webhook.Platform}|{webhook.Source}|{webhook.DeliveryId}|{bodyHash}")[..40];
        if (await store.ReadAsync<WebhookDelivery>(ContainerNames.Deliveries, deliveryId, deliveryId, cancellationToken) is not null)
        {
            return new WebhookOutcome(WebhookOutcomeKind.Duplicate, $"Delivery {webhook.DeliveryId} was already processed.");
        }

        int changed = 0, unchanged = 0, anonymous = 0;
        var profiles = new List<string>();
        var notes = new List<string>();
        if (webhook.Privacy is { } privacy)
        {
            var affected = await HandlePrivacyAsync(privacy, cancellationToken);
            profiles.AddRange(affected);
            notes.Add($"{privacy.Kind}: {affected.Count} profiles");
        }

        foreach (var orderKey in webhook.DeletedOrderKeys)
        {
            if (await resolver.RemoveOrderAsync(orderKey, cancellationToken) is { } owner)
            {
                profiles.Add(owner);
                changed++;
            }
        }

        foreach (var activity in webhook.Activities)
        {
            var result = await resolver.ApplyAsync(activity, cancellationToken);
            if (result is null)
            {
                anonymous++;
                continue;
            }

            profiles.Add(result.ProfileId);
            if (result.Changed)
            {
                changed++;
            }
            else
            {
                unchanged++;
            }
        }

        await store.UpsertAsync(ContainerNames.Deliveries, deliveryId, deliveryId, new WebhookDelivery
        {
            Id = deliveryId,
            Platform = webhook.Platform,
            Source = webhook.Source,
            Topic = webhook.Topic,
            DeliveryId = webhook.DeliveryId,
            ProcessedAt = clock.GetUtcNow(),
            ProfileIds = [.. profiles.Distinct(StringComparer.Ordinal)],
        }, cancellationToken);
        foreach (var warning in webhook.Warnings)
        {
            logger.LogInformation("{Platform} {Topic}: {Warning}", webhook.Platform, webhook.Topic, warning);
        }

        var note = notes.Count == 0 ? string.Empty : " " + string.Join("; ", notes) + ".";
        return new WebhookOutcome(WebhookOutcomeKind.Accepted, $"{webhook.Topic}: {changed} profiles changed, {unchanged} unchanged, {anonymous} anonymous.{note}", changed, unchanged, anonymous);
    }

    /// <summary>
    /// Shopify's mandatory privacy topics: a customer redaction erases the person everywhere, a shop redaction removes
    /// everything the shop contributed, a data request records which profiles hold the person's data (readable through
    /// <c>GET api/profiles/{id}</c>) in the delivery record.
    /// </summary>
    private async Task<IReadOnlyList<string>> HandlePrivacyAsync(PrivacyRequest privacy, CancellationToken cancellationToken)
    {
        var identities = new RawIdentities { SourceCustomerIds = privacy.SourceCustomerIds, Emails = privacy.Emails, Phones = privacy.Phones };
        switch (privacy.Kind)
        {
            case PrivacyRequestKind.RedactCustomer:
                var erased = await eraser.EraseAsync(identities, privacy.OrderKeys, cancellationToken);
                logger.LogInformation("Erased {Count} profiles on a redaction request from {Source}", erased.Count, privacy.Source);
                return erased;
            case PrivacyRequestKind.RedactShop when privacy.KeyPrefix is not null:
                var redacted = await eraser.RedactSourceAsync(privacy.KeyPrefix, cancellationToken);
                logger.LogInformation("Removed the data of {Source} from {Count} profiles", privacy.Source, redacted);
                return [];
            default:
                return await eraser.FindAsync(identities, privacy.OrderKeys, cancellationToken);
        }
    }
}
