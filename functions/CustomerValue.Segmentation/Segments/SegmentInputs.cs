using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments;

/// <summary>Builds the rules' <see cref="SegmentInput"/> from a stored profile.</summary>
public static class SegmentInputs
{
    /// <summary>
    /// The input for one profile. <paramref name="current"/> is the value score of the run being decided (the
    /// recompute's new score, or the real-time rescore); the previous run's tier, predicted CLV and segments are read
    /// from the profile as stored (<see cref="CustomerProfile.Value"/>, <see cref="CustomerProfile.Segments"/>), because
    /// the profile is only written back after the run decides.
    /// </summary>
    /// <param name="profile">The profile as scanned.</param>
    /// <param name="current">This run's score; null keeps the profile's stored one (no fresh score).</param>
    /// <param name="asOf">The run's time: the 12-month revenue window ends here.</param>
    /// <param name="previousPercentile">The previous run's percentile, where it was recorded.</param>
    public static SegmentInput FromProfile(CustomerProfile profile, CustomerValueScore? current, DateTimeOffset asOf, double? previousPercentile = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var score = current ?? profile.Value;
        var totals = profile.OrderTotals;
        var returned = totals.RefundedPurchases + totals.Returns;
        // Day by day (UTC), as the profile keeps them: the window holds the days from 365 days before the run to its day.
        var yearAgo = DateOnly.FromDateTime(asOf.AddDays(-365).UtcDateTime);
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var gross = profile.GrossRevenue;
        var refunds = profile.Refunds;
        // A score without expected purchases is the net-spend fallback, whose "predicted" CLV is 0 by construction:
        // passing it on would make every customer look worthless, so it is treated as no prediction at all.
        var modelled = score?.ExpectedPurchases is not null;
        var previous = profile.Value;
        return new SegmentInput
        {
            ProfileId = profile.Id,
            Orders = totals.Purchases,
            FirstOrderAt = profile.FirstOrderAt,
            LastOrderAt = profile.LastOrderAt,
            Channels = ChannelsOf(profile),
            AcquisitionChannel = profile.AcquisitionChannel,
            GrossRevenue = gross,
            Refunds = refunds,
            NetRevenue = gross - refunds,
            NetRevenueLast12Months = totals.Days.Where(d => d.Date >= yearAgo && d.Date <= today).Sum(d => d.Net),
            ReturnRate = score?.ReturnRate ?? (gross <= 0m ? 0d : (double)(refunds / gross)),
            ReturnedOrders = Math.Min(returned, totals.Purchases),
            Nps = profile.Nps?.Score,
            LoyaltyMember = profile.Loyalty?.IsActive == true,
            LoyaltyProgram = profile.Loyalty is { } loyalty ? loyalty.Tier is null ? loyalty.Program : $"{loyalty.Program}/{loyalty.Tier}" : null,
            PredictedClv = modelled ? score!.PredictedClv : null,
            PAlive = score?.PAlive,
            ProbabilityTop20 = modelled ? score!.ProbabilityTop20 : null,
            ExpectedPurchases = score?.ExpectedPurchases,
            ExpectedNextOrderAt = score?.ExpectedNextOrderAt,
            AverageDaysBetweenOrders = score?.AverageDaysBetweenOrders ?? Scoring.NetSpendScorer.AverageDaysBetweenPurchaseDays(profile),
            PreviousTier = profile.Segments.FirstOrDefault(s => SegmentNames.ValueTiers.Contains(s)),
            PreviousPercentile = previousPercentile,
            // A real-time rescore since the last run keeps that run's figure: the fall is measured run to run.
            PreviousPredictedClv = previous?.ExpectedPurchases is not null ? previous.RunPredictedClv ?? previous.PredictedClv : null,
            PreviousSegments = [.. profile.Segments],
        };
    }

    /// <summary>
    /// Sales channels with their latest purchase, and engagement channels with the latest touch. The profile keeps one
    /// latest-touch time for all engagement channels, not one per channel, so every engagement channel is dated by it:
    /// a channel touched long ago counts as recent when another channel was touched recently.
    /// </summary>
    public static IReadOnlyList<ChannelActivity> ChannelsOf(CustomerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var latest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var channel in profile.OrderTotals.Channels)
        {
            Touch(latest, NameOf(channel.Channel), channel.LastPurchaseAt);
        }

        if (profile.Engagement.LastTouchAt is { } touched)
        {
            foreach (var channel in profile.Engagement.Channels)
            {
                Touch(latest, NameOf(channel), touched);
            }
        }

        return [.. latest.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ChannelActivity(c.Key, c.Value))];
    }

    /// <summary>The channel name shared by sales and engagement.</summary>
    public static string NameOf(SalesChannel channel) => channel switch
    {
        SalesChannel.App => "app",
        SalesChannel.Store => "store",
        _ => "web",
    };

    /// <summary>The channel name shared by sales and engagement.</summary>
    public static string NameOf(EngagementChannel channel) => channel switch
    {
        EngagementChannel.App => "app",
        EngagementChannel.Store => "store",
        EngagementChannel.Email => "email",
        _ => "web",
    };

    private static void Touch(Dictionary<string, DateTimeOffset> latest, string channel, DateTimeOffset at)
    {
        if (!latest.TryGetValue(channel, out var known) || at > known)
        {
            latest[channel] = at;
        }
    }
}
