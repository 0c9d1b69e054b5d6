namespace CustomerValue.Segmentation.Channels;

/// <summary>
/// Which first-touch acquisition channels bring good customers. For every channel: its buyers, their average net
/// revenue, average predicted CLV and predicted profit with 90 % intervals, the shares that reach <c>top-20</c> and
/// that are <c>not-worth-investing</c>, the money-weighted return rate, the average P(alive), and a verdict.
/// <para>
/// Intervals are the normal approximation of a mean: <c>mean ± 1.645 × s / √n</c> with <c>s</c> the sample standard
/// deviation. The central limit theorem makes it fair from about 30 customers, which is why a channel needs
/// <see cref="Segments.ChannelQualityOptions.MinCustomers"/> (default 30) before it gets a verdict; below it the verdict is
/// <see cref="NotEnoughData"/>. The verdict compares the channel's profit interval with the shop-wide average profit of all
/// buyers: entirely above is <see cref="Invest"/>, entirely below <see cref="Reduce"/>, otherwise <see cref="Keep"/>.
/// </para>
/// Buyers whose purchases name no channel are grouped under <see cref="Unknown"/>, so the rows add up to all buyers.
/// </summary>
public static class ChannelQuality
{
    /// <summary>The interval's z value (two-sided 90 %).</summary>
    public const double Z90 = 1.6448536269514722;

    /// <summary>The channel's customers are worth clearly more than the average: spend more there.</summary>
    public const string Invest = "invest";

    /// <summary>Not clearly different from the average.</summary>
    public const string Keep = "keep";

    /// <summary>Clearly worth less than the average: spend less there.</summary>
    public const string Reduce = "reduce";

    /// <summary>Too few customers for a verdict.</summary>
    public const string NotEnoughData = "not enough data";

    /// <summary>The row of buyers without an acquisition channel.</summary>
    public const string Unknown = "(unknown)";

    /// <summary>The label of the shop-wide row.</summary>
    public const string Shop = "(all)";

    /// <summary>The table over a run's buyers (<see cref="ChannelTally"/> adds them up one at a time).</summary>
    public static ChannelQualityTable Compute(IEnumerable<ChannelCustomer> buyers, int minCustomers = 30)
    {
        ArgumentNullException.ThrowIfNull(buyers);
        var tally = new ChannelTally();
        foreach (var buyer in buyers)
        {
            tally.Add(buyer);
        }

        return tally.Compute(minCustomers);
    }

    /// <summary>
    /// The mean of <paramref name="n"/> values summing to <paramref name="sum"/> and its 90 % normal-approximation
    /// interval from <paramref name="squares"/>, the sum of their squared deviations from that mean (as doubles): a point
    /// with fewer than two values.
    /// </summary>
    internal static (decimal Mean, decimal Low, decimal High) MeanInterval(int n, decimal sum, double squares)
    {
        if (n == 0)
        {
            return (0m, 0m, 0m);
        }

        var mean = sum / n;
        if (n < 2)
        {
            return (decimal.Round(mean, 2), decimal.Round(mean, 2), decimal.Round(mean, 2));
        }

        var variance = squares / (n - 1);
        var half = (decimal)(Z90 * Math.Sqrt(variance / n));
        return (decimal.Round(mean, 2), decimal.Round(mean - half, 2), decimal.Round(mean + half, 2));
    }
}

/// <summary>The channel table: one row per acquisition channel, plus the shop-wide row they are compared with.</summary>
/// <param name="Rows">Channels, most customers first.</param>
/// <param name="Shop">All buyers together (its verdict is null).</param>
public sealed record ChannelQualityTable(IReadOnlyList<ChannelQualityRow> Rows, ChannelQualityRow Shop);

/// <summary>One acquisition channel's customers.</summary>
public sealed record ChannelQualityRow
{
    /// <summary>The first-touch channel, e.g. <c>google/cpc</c>.</summary>
    public required string Channel { get; init; }


    /// <summary>Buyers acquired through it.</summary>
    public int Customers { get; init; }

    /// <summary>Their net revenue to date.</summary>
    public decimal NetRevenue { get; init; }

    /// <summary>Mean net revenue to date.</summary>
    public decimal AverageNetRevenue { get; init; }

    /// <summary>Mean predicted 12-month CLV.</summary>
    public decimal AveragePredictedClv { get; init; }

    /// <summary>90 % interval of the mean predicted CLV.</summary>
    public Interval90 PredictedClvInterval { get; init; } = new(0m, 0m);

    /// <summary>Mean predicted 12-month profit.</summary>
    public decimal AveragePredictedProfit { get; init; }

    /// <summary>90 % interval of the mean predicted profit: what the verdict reads.</summary>
    public Interval90 PredictedProfitInterval { get; init; } = new(0m, 0m);

    /// <summary>Share of its buyers in <c>top-20</c>.</summary>
    public double ShareTop20 { get; init; }

    /// <summary>Share of its buyers in <c>not-worth-investing</c>.</summary>
    public double ShareNotWorthInvesting { get; init; }

    /// <summary>Refunds ÷ gross revenue of its buyers.</summary>
    public double ReturnRate { get; init; }

    /// <summary>Mean P(alive) of its modelled buyers.</summary>
    public double? AveragePAlive { get; init; }

    /// <summary><c>invest</c>, <c>keep</c>, <c>reduce</c> or <c>not enough data</c>; null on the shop-wide row.</summary>
    public string? Verdict { get; init; }
}

/// <summary>A 90 % interval of a mean (a record, not a tuple, so that it serializes as <c>{"low", "high"}</c>).</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public sealed record Interval90(decimal Low, decimal High);
