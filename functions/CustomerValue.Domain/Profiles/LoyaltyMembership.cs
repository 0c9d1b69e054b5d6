namespace CustomerValue.Domain.Profiles;

/// <summary>Membership of a loyalty programme as of <paramref name="ChangedAt"/>.</summary>
/// <param name="Program">The programme, e.g. <c>club</c>.</param>
/// <param name="IsActive">False once the customer left or was removed.</param>
/// <param name="ChangedAt">When the source recorded this state; the latest state wins.</param>
public sealed record LoyaltyMembership(string Program, bool IsActive, DateTimeOffset ChangedAt)
{
    /// <summary>The tier, e.g. <c>gold</c>.</summary>
    public string? Tier { get; init; }

    /// <summary>The points balance, when the source reports it.</summary>
    public decimal? Points { get; init; }
}
