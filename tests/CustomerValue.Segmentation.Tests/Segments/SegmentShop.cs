using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Tests.Segments;

/// <summary>
/// A small shop as of <see cref="AsOf"/> whose customers are each clearly one kind. Ten buyers ranked by predicted
/// profit (= predicted CLV with the default margin and costs): 1000, 900 | 400, 300, 250, 200, 150, 100 | 40, 20, so the
/// top-20 threshold is 900 and the bottom-20 threshold 40; plus a detractor who never bought and a browser.
/// </summary>
internal static class SegmentShop
{
    public static readonly DateTimeOffset AsOf = new(2024, 6, 1, 2, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset DaysAgo(double days) => AsOf.AddDays(-days);

    private static SegmentInput Buyer(string id, decimal clv, string previousTier, double pAlive = 0.9, double gap = 30, double nextInDays = 40, double lastDaysAgo = 10) => new()
    {
        ProfileId = id,
        Orders = 4,
        FirstOrderAt = DaysAgo(300),
        LastOrderAt = DaysAgo(lastDaysAgo),
        Channels = [new ChannelActivity("web", DaysAgo(lastDaysAgo))],
        AcquisitionChannel = "google/cpc",
        GrossRevenue = 400m,
        NetRevenue = 400m,
        NetRevenueLast12Months = 400m,
        PredictedClv = clv,
        PreviousPredictedClv = clv,
        PAlive = pAlive,
        ExpectedPurchases = 3,
        ExpectedNextOrderAt = AsOf.AddDays(nextInDays),
        AverageDaysBetweenOrders = gap,
        PreviousTier = previousTier,
        PreviousSegments = [previousTier],
    };

    public static SegmentInput Mvc { get; } = Buyer("mvc", 1000m, "top-20") with
    {
        Channels = [new ChannelActivity("store", DaysAgo(20)), new ChannelActivity("web", DaysAgo(10))],
    };

    public static SegmentInput SingleChannelTop { get; } = Buyer("solo-top", 900m, "top-20") with
    {
        // The store visit was over a year ago: only web counts.
        Channels = [new ChannelActivity("store", DaysAgo(400)), new ChannelActivity("web", DaysAgo(10))],
    };

    public static SegmentInput Rising { get; } = Buyer("rising", 400m, "bottom-20") with { PreviousPredictedClv = 30m };

    public static SegmentInput DueSoon { get; } = Buyer("due", 300m, "middle-60", nextInDays: 5, lastDaysAgo: 25);

    public static SegmentInput Overdue { get; } = Buyer("overdue", 250m, "middle-60", pAlive: 0.6, nextInDays: -40, lastDaysAgo: 70);

    public static SegmentInput Declining { get; } = Buyer("declining", 200m, "middle-60", lastDaysAgo: 60) with
    {
        PreviousPredictedClv = 600m,
        Refunds = 150m,
        NetRevenue = 250m,
        ReturnRate = 0.375,
        ReturnedOrders = 1,
    };

    public static SegmentInput New { get; } = Buyer("new", 150m, "none") with
    {
        Orders = 1,
        FirstOrderAt = DaysAgo(10),
        LastOrderAt = DaysAgo(10),
        AverageDaysBetweenOrders = null,
        ExpectedNextOrderAt = null,
        PreviousTier = null,
        PreviousPredictedClv = null,
        PreviousSegments = [],
    };

    public static SegmentInput Promoter { get; } = Buyer("promoter", 100m, "middle-60") with { Nps = 10 };

    public static SegmentInput NotWorthInvesting { get; } = Buyer("returner", 40m, "bottom-20") with
    {
        GrossRevenue = 400m,
        Refunds = 240m,
        NetRevenue = 160m,
        ReturnRate = 0.6,
        ReturnedOrders = 3,
    };

    public static SegmentInput Dormant { get; } = Buyer("dormant", 20m, "bottom-20", pAlive: 0.1, nextInDays: 200, lastDaysAgo: 500);

    public static SegmentInput DetractorWithoutPurchase { get; } = new()
    {
        ProfileId = "detractor",
        Nps = 3,
        LoyaltyMember = true,
        LoyaltyProgram = "club",
    };

    public static SegmentInput Browser { get; } = new() { ProfileId = "browser" };

    public static IReadOnlyList<SegmentInput> All { get; } =
        [Mvc, SingleChannelTop, Rising, DueSoon, Overdue, Declining, New, Promoter, NotWorthInvesting, Dormant, DetractorWithoutPurchase, Browser];

    public static SegmentRunContext Context(SegmentOptions? segments = null, ValueOptions? value = null) =>
        SegmentRunContext.ForRun(All, AsOf, segments, value);
}
