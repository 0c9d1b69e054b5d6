using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Segmentation.Channels;
using CustomerValue.Segmentation.Kpis;
using CustomerValue.Segmentation.Migrations;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// What a run adds up while it decides customers page by page: segment sizes, KPIs, ranked and changed counts, the
/// migration matrix, the channel table and the value distributions. Customers are added in scan order, one at a time, and
/// folded into counters and sums as they come; what needs every buyer's value at the end (the channel intervals' spread,
/// the CLV histogram's 99th percentile) keeps it as doubles in arrays, some 40 bytes per buyer.
/// </summary>
internal sealed class RunTally
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Description)> _segments;
    private readonly int[] _members;
    private readonly decimal[] _revenue;
    private readonly decimal[] _clv;
    private readonly MigrationMatrix.Tally _migrations = new();
    private readonly ChannelTally _channels = new();
    private readonly ValueDistributions.Tally _distributions = new();

    /// <summary>Starts the tally of a run reporting <paramref name="segments"/> (built-in in registry order, then custom).</summary>
    public RunTally(List<(string Name, string Description)> segments)
    {
        _segments = segments;
        for (var s = 0; s < segments.Count; s++)
        {
            _index.TryAdd(segments[s].Name, s);
        }

        _members = new int[segments.Count];
        _revenue = new decimal[segments.Count];
        _clv = new decimal[segments.Count];
        Kpis = new SegmentKpiCalculator(segments.Select(s => s.Name));
    }

    /// <summary>Customers decided.</summary>
    public int Profiles { get; private set; }

    /// <summary>Customers placed in a value tier.</summary>
    public int Ranked { get; private set; }

    /// <summary>Customers whose segments changed.</summary>
    public int SegmentChanges { get; private set; }

    /// <summary>The KPIs of every segment.</summary>
    public SegmentKpiCalculator Kpis { get; }

    /// <summary>Adds one decided customer.</summary>
    public void Add(SegmentInput input, CustomerValueScore score, string[] segments, int tier, bool segmentsChanged, SegmentRunContext context)
    {
        Profiles++;
        Ranked += tier >= 0 ? 1 : 0;
        SegmentChanges += segmentsChanged ? 1 : 0;
        Kpis.Add(input, segments);
        foreach (var segment in segments)
        {
            if (_index.TryGetValue(segment, out var s))
            {
                _members[s]++;
                _revenue[s] += input.NetRevenue;
                _clv[s] += score.PredictedClv;
            }
        }

        // Both runs' tiers are known here (the earlier one from the profile as stored), so the matrix is counted at once.
        _migrations.Add(
            input.PreviousTier is { } previousTier ? (previousTier, input.PreviousPredictedClv ?? 0m) : null,
            tier >= 0 ? (SegmentNames.ValueTiers[tier], score.PredictedClv) : null);
        if (input.HasPurchased)
        {
            _channels.Add(ChannelCustomer.From(input, context, segments));
            _distributions.Add(score.PredictedClv, score.PAlive);
        }
    }

    /// <summary>Each segment's size, net revenue and average predicted CLV.</summary>
    public List<SegmentSize> Sizes() =>
        [.. _segments.Select((segment, s) => new SegmentSize(segment.Name, _members[s], segment.Description, _revenue[s],
            _members[s] == 0 ? 0m : decimal.Round(_clv[s] / _members[s], 2)))];

    /// <summary>The tier migration matrix against the tiers the profiles carried from the previous run.</summary>
    public MigrationMatrix Migrations() => _migrations.Matrix();

    /// <summary>The channel table of the buyers.</summary>
    public ChannelQualityTable Channels(int minCustomers) => _channels.Compute(minCustomers);

    /// <summary>How buyers' predicted CLV and P(alive) are spread.</summary>
    public ValueDistributions Distributions() => _distributions.Histograms();
}
