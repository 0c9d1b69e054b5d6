using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Guidance;
using CustomerValue.Publishing.Holdouts;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.GetGuidance;

/// <summary>The answer of <c>GET api/guidance</c>.</summary>
/// <param name="RunId">The recompute run the figures come from.</param>
/// <param name="TargetRatio">The share of predicted profit worth paying (<c>Guidance:TargetRatio</c>).</param>
/// <param name="Segments">Per segment: max cost per member and bid adjustment.</param>
/// <param name="Channels">Per acquisition channel: the budget shift.</param>
/// <param name="Holdouts">Per segment with a holdout: treated vs holdout over 30 and 90 days.</param>
/// <param name="ConversionValues">What is (not) sent to ad platforms as conversion values.</param>
public sealed record GuidanceReport(
    string RunId,
    decimal TargetRatio,
    IReadOnlyList<SegmentGuidance> Segments,
    IReadOnlyList<ChannelGuidance> Channels,
    IReadOnlyList<SegmentHoldoutReport> Holdouts,
    string ConversionValues);

/// <summary>
/// <c>GET api/guidance</c>: bid and budget guidance from the latest recompute (<see cref="BidGuidance"/>) and the
/// control-group report of every segment with a holdout (<see cref="HoldoutReport"/>, which scans the profiles).
/// 404 before the first recompute.
/// </summary>
public static class GetGuidanceFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "GetGuidance";

    /// <summary>What the app does not send, said where the guidance is read.</summary>
    public const string ConversionValuesNote =
        "Not sent: predicted CLV is not uploaded as a conversion value (Google Ads offline conversion adjustments, Meta Conversions API). " +
        "Value reaches the ad platforms only as the LOOKALIKE_VALUE of Meta's value-based seed audience.";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/guidance", async (IDocumentStore store, ValueOptions value, AudienceRouting routing, IConfiguration configuration, TimeProvider clock, CancellationToken ct) =>
            await HandleAsync(store, value, await routing.HoldoutsAsync(ct), configuration, clock, ct)).WithName(Name);

    /// <summary>Builds the report.</summary>
    public static async Task<Results<JsonHttpResult<GuidanceReport>, NotFound<ApiError>>> HandleAsync(
        IDocumentStore store, ValueOptions value, HoldoutPolicy holdouts, IConfiguration configuration, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(clock);
        var summary = await store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId, cancellationToken);
        var run = summary is null ? null : (await store.ReadAsync<RecomputeRun>(ContainerNames.Runs, summary.Body.RunId, summary.Body.RunId, cancellationToken))?.Body;
        if (run is null)
        {
            return TypedResults.NotFound(new ApiError("No recompute has run yet: guidance needs predicted values."));
        }

        var ratio = configuration.GetValue("Guidance:TargetRatio", 0.3m);
        var shift = configuration.GetValue("Guidance:BudgetShift", 0.2);
        // Before the models can be fitted (too little data) no predicted CLV exists: a member's net revenue of the last
        // twelve months stands in for it, so the guidance still ranks segments.
        var figures = run.Kpis.Where(k => k.Size > 0)
            .Select(k => new SegmentFigures(k.Segment, k.Size, k.AveragePredictedClv ?? Math.Round(k.NetRevenue12Months / k.Size, 2))).ToList();
        // The segment KPIs carry predicted CLV, not the cost of serving; not-worth-investing is by definition the
        // customers whose predicted profit after those costs is nil or negative, so it is excluded outright.
        figures = [.. figures.Select(f => f.Segment == SegmentNames.NotWorthInvesting ? f with { AveragePredictedClv = Math.Min(0m, f.AveragePredictedClv ?? 0m) } : f)];
        var tiers = figures.Where(f => SegmentNames.ValueTiers.Contains(f.Segment)).ToList();
        var members = tiers.Sum(k => k.Members);
        var average = members == 0 ? 0m : tiers.Sum(k => k.AveragePredictedClv!.Value * k.Members) / members;
        var segments = BidGuidance.ForSegments(figures, average, value.GrossMargin, ratio);
        var channels = BidGuidance.ForChannels((run.Channels?.Rows ?? []).Select(c => new ChannelFigures(c.Channel, c.Customers, c.AveragePredictedProfit, c.Verdict)), shift);
        IReadOnlyList<SegmentHoldoutReport> report = [];
        if (holdouts.Shares.Count > 0)
        {
            var profiles = new List<CustomerProfile>();
            await foreach (var document in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles, cancellationToken))
            {
                profiles.Add(document.Body);
            }

            report = HoldoutReport.Compute(profiles, holdouts, clock.GetUtcNow());
        }

        return TypedResults.Json(new GuidanceReport(run.Id, ratio, segments, channels, report, ConversionValuesNote), DocumentJson.Options);
    }
}
