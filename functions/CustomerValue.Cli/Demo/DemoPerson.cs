namespace CustomerValue.Cli.Demo;

/// <summary>Where a synthetic customer shops.</summary>
public enum ShoppingHabit
{
    /// <summary>Only in the web shop or app.</summary>
    OnlineOnly,

    /// <summary>Only in stores.</summary>
    StoreOnly,

    /// <summary>Both: the case identity resolution exists for.</summary>
    Omnichannel,
}

/// <summary>One synthetic person of the demo shop, with the identities each system knows them by.</summary>
/// <param name="Index">Position in the generated base.</param>
/// <param name="FirstName">Given name.</param>
/// <param name="LastName">Family name.</param>
/// <param name="Email">E-mail as the web shop has it.</param>
/// <param name="Phone">Phone in E.164 as the web shop has it.</param>
/// <param name="Habit">Online, store or both.</param>
/// <param name="HomeStore">The store they visit.</param>
/// <param name="AcquisitionChannel">UTM source/medium of their first visit, e.g. <c>google/cpc</c>.</param>
/// <param name="ShopifyCustomerId">Their customer id in the web shop.</param>
/// <param name="LoyaltyId">Their loyalty card, for some store customers.</param>
/// <param name="Purchases">What they bought.</param>
public sealed record DemoPerson(
    int Index,
    string FirstName,
    string LastName,
    string Email,
    string Phone,
    ShoppingHabit Habit,
    string HomeStore,
    string AcquisitionChannel,
    long ShopifyCustomerId,
    string? LoyaltyId,
    IReadOnlyList<DemoPurchase> Purchases);

/// <summary>One purchase of a synthetic person.</summary>
/// <param name="At">When.</param>
/// <param name="Amount">What they paid (tax and shipping included).</param>
/// <param name="InStore">True for a store sale (exported as a POS CSV row), false for a web or app order (a webhook).</param>
/// <param name="ViaApp">For online orders: placed in the mobile app.</param>
/// <param name="Returned">Share of the amount later refunded or returned (0 for none).</param>
/// <param name="ReturnedAt">When the refund or return happened.</param>
/// <param name="Cancelled">An online order cancelled before fulfilment.</param>
public sealed record DemoPurchase(DateTimeOffset At, decimal Amount, bool InStore, bool ViaApp, decimal Returned, DateTimeOffset ReturnedAt, bool Cancelled);
