namespace CustomerValue.Domain.Segments;

/// <summary>The built-in segments. Names are stable: destinations and audiences are keyed by them.</summary>
public static class SegmentNames
{
    /// <summary>The top 20 % of customers by value: they carry the business.</summary>
    public const string Top20 = "top-20";

    /// <summary>The middle 60 %: the ones to grow.</summary>
    public const string Middle60 = "middle-60";

    /// <summary>The bottom 20 %.</summary>
    public const string Bottom20 = "bottom-20";

    /// <summary>The value tiers in order from most to least valuable.</summary>
    public static IReadOnlyList<string> ValueTiers { get; } = [Top20, Middle60, Bottom20];

    /// <summary>In <see cref="Top20"/> and engaged across at least two channels within a year: the most valuable customers.</summary>
    public const string MostValuable = "most-valuable";

    /// <summary>Not yet on top but moving up, or close to the top with a high chance of being active: potential top customers.</summary>
    public const string Rising = "rising";

    /// <summary>Value fell sharply or dropped a tier, while still a recent buyer: worth a save before they lapse.</summary>
    public const string Declining = "declining";

    /// <summary>Likely lapsed: low P(alive) or long past their own buying rhythm.</summary>
    public const string Dormant = "dormant";

    /// <summary>Expected to cost more to serve than they bring, or returning most of what they buy.</summary>
    public const string NotWorthInvesting = "not-worth-investing";

    /// <summary>Expected to order again within days: the moment for a timely nudge.</summary>
    public const string DueSoon = "due-soon";

    /// <summary>Past their expected next order but probably still active: the reactivation audience.</summary>
    public const string Overdue = "overdue";

    /// <summary>First order within the last days: the onboarding audience.</summary>
    public const string NewCustomers = "new-customers";

    /// <summary>Latest NPS answer 9 or 10.</summary>
    public const string Promoters = "promoters";

    /// <summary>Latest NPS answer 7 or 8.</summary>
    public const string Passives = "passives";

    /// <summary>Latest NPS answer 0 to 6.</summary>
    public const string Detractors = "detractors";

    /// <summary>Active members of a loyalty programme.</summary>
    public const string LoyaltyMembers = "loyalty-members";
}
