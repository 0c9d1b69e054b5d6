using CustomerValue.Domain.Profiles;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Publishing.Holdouts;
using CustomerValue.Publishing.Identifiers;

namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// Decides, for one destination, which of a person's segments it may know about and what it may know of the person:
/// the configured segments, minus the holdouts, and nothing at all without the consent the destination's kind
/// requires (<see cref="DestinationKinds.RequiredConsent"/>), after a merge or after an erasure.
/// </summary>
public static class AudiencePlan
{
    /// <summary>The segments of <paramref name="profile"/> that <paramref name="destination"/> should hold the person in, sorted.</summary>
    public static IReadOnlyList<string> DesiredSegments(CustomerProfile profile, DestinationSettings destination, HoldoutPolicy holdouts)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(holdouts);
        if (profile.IsRedirect || profile.IsErased)
        {
            return [];
        }

        if (DestinationKinds.RequiredConsent(destination) is { } consent && !profile.HasConsent(consent))
        {
            return [];
        }

        var recipient = RecipientFor(profile, destination, []);
        if (recipient.IsEmpty && NeedsIdentifiers(destination))
        {
            return [];
        }

        return [.. profile.Segments
            .Where(destination.Receives)
            .Where(s => !holdouts.IsHeldOut(profile.Id, s))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// What <paramref name="destination"/> is given about the person: ad platforms and hashed files only their own
    /// normalised SHA-256 identifiers, e-mail tools and plain files the address and phone, webhooks nothing.
    /// </summary>
    public static Recipient RecipientFor(CustomerProfile profile, DestinationSettings destination, IReadOnlyList<string> segments)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(destination);
        var value = profile.Value;
        // Queue documents carry only what the kind uses: the value fields and the segment list are Klaviyo's
        // properties; Meta's seed and the files use the predicted CLV alone.
        var emailTool = destination.Type == DestinationKinds.Klaviyo;
        var recipient = new Recipient
        {
            PredictedClv = destination.Type == DestinationKinds.Webhook ? null : value?.PredictedClv,
            PAlive = emailTool ? value?.PAlive : null,
            ExpectedNextOrderAt = emailTool ? value?.ExpectedNextOrderAt : null,
            Segments = emailTool ? segments : [],
        };
        return destination.Type switch
        {
            DestinationKinds.GoogleCustomerMatch => recipient with
            {
                EmailSha256 = Hashes(profile.Emails, GoogleIdentifiers.HashEmail),
                PhoneSha256 = Hashes(profile.Phones, GoogleIdentifiers.HashPhone),
            },
            DestinationKinds.MetaCustomAudience => recipient with
            {
                EmailSha256 = Hashes(profile.Emails, MetaIdentifiers.HashEmail),
                PhoneSha256 = Hashes(profile.Phones, MetaIdentifiers.HashPhone),
            },
            // Files for platforms without an API: their common denominator is Meta's plain-digits phone and trimmed e-mail.
            DestinationKinds.BlobFile when destination.Flag("Hashed", true) => recipient with
            {
                EmailSha256 = Hashes(profile.Emails, MetaIdentifiers.HashEmail),
                PhoneSha256 = Hashes(profile.Phones, MetaIdentifiers.HashPhone),
            },
            DestinationKinds.Klaviyo or DestinationKinds.BlobFile => recipient with
            {
                Email = profile.Emails.FirstOrDefault(),
                Phone = profile.Phones.FirstOrDefault(),
            },
            _ => recipient,
        };
    }

    private static bool NeedsIdentifiers(DestinationSettings destination) => destination.Type != DestinationKinds.Webhook;

    // Platforms match on up to a few identifiers per person; three e-mails and three phones is Google's limit too.
    private static string[] Hashes(IEnumerable<string> values, Func<string?, string?> hash) =>
        [.. values.Select(hash).OfType<string>().Distinct(StringComparer.Ordinal).Take(3)];
}
