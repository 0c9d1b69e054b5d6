namespace CustomerValue.Domain.Profiles;

/// <summary>Consent for one marketing channel given (<paramref name="Granted"/> true) or withdrawn.</summary>
/// <param name="Channel">The channel the consent is for.</param>
/// <param name="Granted">True when the customer agreed, false when they declined or withdrew.</param>
/// <param name="ChangedAt">When the source recorded the change; the latest change per channel wins.</param>
public sealed record ConsentChange(ConsentChannel Channel, bool Granted, DateTimeOffset ChangedAt);
