using CustomerValue.Domain.Segments;

namespace CustomerValue.Publishing.Delivery;

/// <summary>One segment change on its way to one destination, with what that destination needs to know of the person.</summary>
public sealed record OutboundChange
{
    /// <summary>The joined/left event.</summary>
    public required SegmentChange Change { get; init; }

    /// <summary>The person as this destination may see them (hashed identifiers for ad platforms).</summary>
    public required Recipient Recipient { get; init; }

    /// <summary>True when the person was erased: destinations that keep profiles delete them, not only the membership.</summary>
    public bool Erased { get; init; }
}

/// <summary>
/// What one destination is given about a person, shaped by its kind when the change is queued: ad platforms and hashed
/// files get only their own normalised SHA-256 identifiers; e-mail tools the address and phone they send to; webhooks
/// nothing but the profile id. Value fields travel for tools that use them (Klaviyo properties, Meta's value seed).
/// </summary>
public sealed record Recipient
{
    /// <summary>SHA-256 (hex) of each e-mail, normalised the way the destination's platform documents.</summary>
    public IReadOnlyList<string> EmailSha256 { get; init; } = [];

    /// <summary>SHA-256 (hex) of each phone, normalised the way the destination's platform documents.</summary>
    public IReadOnlyList<string> PhoneSha256 { get; init; } = [];

    /// <summary>The e-mail address, only for destinations that send e-mail (or plain internal files).</summary>
    public string? Email { get; init; }

    /// <summary>The phone (E.164), only for destinations that send messages (or plain internal files).</summary>
    public string? Phone { get; init; }

    /// <summary>Predicted 12-month CLV.</summary>
    public decimal? PredictedClv { get; init; }

    /// <summary>Probability the customer is still active.</summary>
    public double? PAlive { get; init; }

    /// <summary>Expected date of the next order.</summary>
    public DateTimeOffset? ExpectedNextOrderAt { get; init; }

    /// <summary>Every segment the destination may know the person is in.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    /// <summary>True when the person has no identifier this destination can use.</summary>
    public bool IsEmpty => EmailSha256.Count == 0 && PhoneSha256.Count == 0 && Email is null && Phone is null;
}

/// <summary>What a destination reported for one batch.</summary>
/// <param name="Sent">Changes sent.</param>
/// <param name="Matched">Members the platform reported as matched/accepted, when it reports it.</param>
/// <param name="Errors">Rows the platform reported as invalid, when it reports it.</param>
/// <param name="Detail">A short note (request ids, list ids), never a person's data.</param>
public sealed record DeliveryReport(int Sent, int? Matched = null, int? Errors = null, string? Detail = null);
