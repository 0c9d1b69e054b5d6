namespace CustomerValue.Segmentation.Segments;

/// <summary>
/// Thresholds of the built-in segments (configuration section <c>Segments</c>, e.g. <c>Segments:Dormant:MaxPAlive</c>).
/// A plain object with the documented defaults (SEGMENTS.md) so the library needs no configuration package.
/// </summary>
public sealed class SegmentOptions
{
    /// <summary>Where custom segment definitions are read from (<c>Segments:DefinitionsPath</c>), if anywhere.</summary>
    public string? DefinitionsPath { get; set; }

    /// <summary>The value tiers (<c>Segments:Tiers:...</c>).</summary>
    public TierOptions Tiers { get; set; } = new();

    /// <summary>
    /// Whether orders, refunds and events rescore the customer and update the real-time segments in the same write
    /// (<c>Segments:RealTime</c>, default true); off, segments change only at a recompute.
    /// </summary>
    public bool RealTime { get; set; } = true;

    /// <summary><c>most-valuable</c>.</summary>
    public MostValuableOptions MostValuable { get; set; } = new();

    /// <summary><c>rising</c>.</summary>
    public RisingOptions Rising { get; set; } = new();

    /// <summary><c>declining</c>.</summary>
    public DecliningOptions Declining { get; set; } = new();

    /// <summary><c>dormant</c>.</summary>
    public DormantOptions Dormant { get; set; } = new();

    /// <summary><c>not-worth-investing</c>.</summary>
    public NotWorthInvestingOptions NotWorthInvesting { get; set; } = new();

    /// <summary><c>due-soon</c>.</summary>
    public DueSoonOptions DueSoon { get; set; } = new();

    /// <summary><c>overdue</c>.</summary>
    public OverdueOptions Overdue { get; set; } = new();

    /// <summary><c>new-customers</c>.</summary>
    public NewCustomersOptions NewCustomers { get; set; } = new();

    /// <summary>The channel-quality table.</summary>
    public ChannelQualityOptions Channels { get; set; } = new();
}

/// <summary>The value tiers: <c>top-20</c>, <c>middle-60</c>, <c>bottom-20</c>.</summary>
public sealed class TierOptions
{
    /// <summary>
    /// When set (e.g. 0.7), <c>top-20</c> — and so <c>most-valuable</c> — takes only buyers whose probability of
    /// belonging to the top 20 % (the share of parameter draws in which they rank there) is at least this; a buyer
    /// ranked in the top 20 % with less certainty is placed in <c>middle-60</c>. Unset (default): ranking alone decides.
    /// Buyers without the probability (no CLV intervals in the run) are ranked as if unset.
    /// </summary>
    public double? MinProbabilityTop20 { get; set; }
}

/// <summary><c>most-valuable</c>: top tier and engaged across channels.</summary>
public sealed class MostValuableOptions
{
    /// <summary>Distinct channels with a purchase or touch needed; default 2.</summary>
    public int MinChannels { get; set; } = 2;

    /// <summary>How far back a channel counts, in days; default 365.</summary>
    public int ActiveDays { get; set; } = 365;
}

/// <summary><c>rising</c>: potential top customers.</summary>
public sealed class RisingOptions
{
    /// <summary>Percentile points gained since the previous run; default 20.</summary>
    public double MinPercentileGain { get; set; } = 20;

    /// <summary>Share of the <c>top-20</c> profit threshold that counts as close to the top; default 0.8.</summary>
    public decimal ShareOfTopThreshold { get; set; } = 0.8m;

    /// <summary>P(alive) needed with the closeness test; default 0.7.</summary>
    public double MinPAlive { get; set; } = 0.7;
}

/// <summary><c>declining</c>.</summary>
public sealed class DecliningOptions
{
    /// <summary>Fall of predicted CLV since the previous run, as a share; default 0.3.</summary>
    public decimal MinValueDrop { get; set; } = 0.3m;

    /// <summary>The latest order must be at most this many days old; default 730 (2 years).</summary>
    public int BoughtWithinDays { get; set; } = 730;
}

/// <summary><c>dormant</c>.</summary>
public sealed class DormantOptions
{
    /// <summary>P(alive) below this is dormant; default 0.3.</summary>
    public double MaxPAlive { get; set; } = 0.3;

    /// <summary>Days without an order beyond this multiple of the person's own average gap are dormant; default 3.</summary>
    public double GapMultiple { get; set; } = 3;

    /// <summary>Days without an order after which a one-time buyer is dormant; default 365.</summary>
    public int OneTimeBuyerDays { get; set; } = 365;
}

/// <summary><c>not-worth-investing</c>.</summary>
public sealed class NotWorthInvestingOptions
{
    /// <summary>Predicted 12-month profit at or below this; default 0.</summary>
    public decimal MaxProfit { get; set; }

    /// <summary>Return rate at or above this…; default 0.5.</summary>
    public double MinReturnRate { get; set; } = 0.5;

    /// <summary>…over at least this many orders; default 3.</summary>
    public int MinOrdersForReturnRate { get; set; } = 3;
}

/// <summary><c>due-soon</c>.</summary>
public sealed class DueSoonOptions
{
    /// <summary>Expected next order within this many days from now; default 14.</summary>
    public int Days { get; set; } = 14;
}

/// <summary><c>overdue</c>.</summary>
public sealed class OverdueOptions
{
    /// <summary>Expected next order passed by more than this share of the person's average gap; default 0.5.</summary>
    public double ShareOfGap { get; set; } = 0.5;

    /// <summary>P(alive) needed: below it the customer is dormant rather than overdue; default 0.3.</summary>
    public double MinPAlive { get; set; } = 0.3;
}

/// <summary><c>new-customers</c>.</summary>
public sealed class NewCustomersOptions
{
    /// <summary>First order within this many days; default 30.</summary>
    public int Days { get; set; } = 30;
}

/// <summary>The channel-quality table.</summary>
public sealed class ChannelQualityOptions
{
    /// <summary>Customers a channel needs before it gets a verdict; default 30.</summary>
    public int MinCustomers { get; set; } = 30;
}
