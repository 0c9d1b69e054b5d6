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

        // The cheap test first: on every change-feed batch most people are in none of a destination's segments, and
        // then neither their consent nor their identifiers need to be looked at.
        List<string>? segments = null;
        foreach (var segment in profile.Segments)
        {
            if (destination.Receives(segment) && !holdouts.IsHeldOut(profile.Id, segment))
            {
                (segments ??= []).Add(segment);
            }
        }

        if (segments is null)
        {
            return [];
        }

        if (DestinationKinds.RequiredConsent(destination) is { } consent && !profile.HasConsent(consent))
        {
            return [];
        }

        if (NeedsIdentifiers(destination) && !HasIdentifiers(profile, destination))
        {
            return [];
        }

        segments.Sort(StringComparer.Ordinal);
        return segments;
    }

    /// <summary>
    /// True when <see cref="RecipientFor"/> would give the destination at least one identifier: the same normalisation,
    /// without hashing.
    /// </summary>
    private static bool HasIdentifiers(CustomerProfile profile, DestinationSettings destination) => destination.Type switch
    {
        DestinationKinds.GoogleCustomerMatch =>
            profile.Emails.Any(e => GoogleIdentifiers.NormalizeEmail(e) is not null) || profile.Phones.Any(p => GoogleIdentifiers.NormalizePhone(p) is not null),
        DestinationKinds.MetaCustomAudience => HasMetaIdentifiers(profile),
        DestinationKinds.BlobFile when destination.Flag("Hashed", true) => HasMetaIdentifiers(profile),
        DestinationKinds.Klaviyo or DestinationKinds.BlobFile => profile.Emails.Count > 0 || profile.Phones.Count > 0,
        _ => true,
    };

    private static bool HasMetaIdentifiers(CustomerProfile profile) =>
        profile.Emails.Any(e => MetaIdentifiers.NormalizeEmail(e) is not null) || profile.Phones.Any(p => MetaIdentifiers.NormalizePhone(p) is not null);

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
                EmailSha256 = Hashes(profile.Emails, GoogleIdentifiers.NormalizeEmail),
                PhoneSha256 = Hashes(profile.Phones, GoogleIdentifiers.NormalizePhone),
            },
            DestinationKinds.MetaCustomAudience => recipient with
            {
                EmailSha256 = Hashes(profile.Emails, MetaIdentifiers.NormalizeEmail),
                PhoneSha256 = Hashes(profile.Phones, MetaIdentifiers.NormalizePhone),
            },
            // Files for platforms without an API: their common denominator is Meta's plain-digits phone and trimmed e-mail.
            DestinationKinds.BlobFile when destination.Flag("Hashed", true) => recipient with
            {
                EmailSha256 = Hashes(profile.Emails, MetaIdentifiers.NormalizeEmail),
                PhoneSha256 = Hashes(profile.Phones, MetaIdentifiers.NormalizePhone),
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
    // Normalised first and hashed once per distinct value: Google's and Meta's e-mail rules agree on most addresses,
    // so the last few hashes are reused across destinations (a fan-out hashes every member once per platform).
    // A plain loop: it runs for every member and destination of a fan-out, and a person has one or two of each.
    private static string[] Hashes(List<string> values, Func<string?, string?> normalize)
    {
        if (values.Count == 0)
        {
            return [];
        }

        var normalized = new List<string>(Math.Min(values.Count, 3));
        foreach (var value in values)
        {
            if (normalize(value) is { } n && !normalized.Contains(n))
            {
                normalized.Add(n);
                if (normalized.Count == 3)
                {
                    break;
                }
            }
        }

        var hashes = new string[normalized.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = RecentHashes.Of(normalized[i]);
        }

        return hashes;
    }

    /// <summary>SHA-256 hex of recently hashed values, per thread: one person's identifiers, asked for by each destination.</summary>
    private static class RecentHashes
    {
        private const int Size = 8;

        [ThreadStatic]
        private static (string Value, string Hash)[]? _recent;

        [ThreadStatic]
        private static int _next;

        public static string Of(string normalized)
        {
            var recent = _recent ??= new (string, string)[Size];
            foreach (var (value, hash) in recent)
            {
                if (value is not null && string.Equals(value, normalized, StringComparison.Ordinal))
                {
                    return hash;
                }
            }

            var computed = Sha256Hex.Of(normalized);
            recent[_next] = (normalized, computed);
            _next = (_next + 1) % Size;
            return computed;
        }
    }
}
