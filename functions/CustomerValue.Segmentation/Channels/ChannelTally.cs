using System.Runtime.InteropServices;

namespace CustomerValue.Segmentation.Channels;

/// <summary>
/// Adds up the channel table one buyer at a time, in the order buyers are added. Sums and counts are folded in per
/// channel as buyers come; what the 90 % intervals need beyond sums (the spread around the mean, which is only known at
/// the end) is kept as two doubles and a channel number per buyer, about 20 bytes, instead of a record per buyer. The
/// result is exactly <see cref="ChannelQuality.Compute"/>'s: the same values are summed in the same order.
/// </summary>
public sealed class ChannelTally
{
    private readonly Dictionary<string, int> _channels = new(StringComparer.Ordinal);
    private readonly List<Totals> _totals = [];
    private readonly Totals _shop = new(ChannelQuality.Shop);
    private readonly List<int> _channelOf = [];
    private readonly List<double> _clv = [];
    private readonly List<double> _profit = [];

    /// <summary>Adds one buyer.</summary>
    public void Add(ChannelCustomer buyer)
    {
        ArgumentNullException.ThrowIfNull(buyer);
        var key = buyer.AcquisitionChannel ?? ChannelQuality.Unknown;
        ref var channel = ref CollectionsMarshal.GetValueRefOrAddDefault(_channels, key, out var known);
        if (!known)
        {
            channel = _totals.Count;
            _totals.Add(new Totals(key));
        }

        _totals[channel].Add(buyer);
        _shop.Add(buyer);
        _channelOf.Add(channel);
        _clv.Add((double)buyer.PredictedClv);
        _profit.Add((double)buyer.PredictedProfit);
    }

    /// <summary>The table: channels with fewer than <paramref name="minCustomers"/> buyers get no verdict.</summary>
    public ChannelQualityTable Compute(int minCustomers = 30)
    {
        var channelOf = CollectionsMarshal.AsSpan(_channelOf);
        var clv = CollectionsMarshal.AsSpan(_clv);
        var profit = CollectionsMarshal.AsSpan(_profit);
        var (shopClvMean, shopProfitMean) = (_shop.ClvMean, _shop.ProfitMean);
        for (var b = 0; b < channelOf.Length; b++)
        {
            // Squared deviations from the means, summed in the buyers' order, as a second pass over a list would.
            var channel = _totals[channelOf[b]];
            channel.ClvSquares += (clv[b] - channel.ClvMean) * (clv[b] - channel.ClvMean);
            channel.ProfitSquares += (profit[b] - channel.ProfitMean) * (profit[b] - channel.ProfitMean);
            _shop.ClvSquares += (clv[b] - shopClvMean) * (clv[b] - shopClvMean);
            _shop.ProfitSquares += (profit[b] - shopProfitMean) * (profit[b] - shopProfitMean);
        }

        var shop = _shop.Row(null, minCustomers);
        var rows = _totals.Select(t => t.Row(shop.AveragePredictedProfit, minCustomers))
            .OrderByDescending(r => r.Customers).ThenBy(r => r.Channel, StringComparer.Ordinal)
            .ToList();
        foreach (var t in _totals)
        {
            t.ClvSquares = t.ProfitSquares = 0; // so that computing twice gives the same table
        }

        _shop.ClvSquares = _shop.ProfitSquares = 0;
        return new ChannelQualityTable(rows, shop);
    }

    /// <summary>One channel's (or the shop's) sums, in the order its buyers were added.</summary>
    private sealed class Totals(string channel)
    {
        private int _n;
        private decimal _net, _gross, _refunds, _clv, _profit;
        private double _alive;
        private int _aliveCount, _top20, _notWorthInvesting;

        public double ClvSquares { get; set; }

        public double ProfitSquares { get; set; }

        /// <summary>The mean predicted CLV as the interval's spread is taken around it (0 before any buyer).</summary>
        public double ClvMean => _n == 0 ? 0 : (double)(_clv / _n);

        /// <summary>The mean predicted profit as the interval's spread is taken around it.</summary>
        public double ProfitMean => _n == 0 ? 0 : (double)(_profit / _n);

        public void Add(ChannelCustomer buyer)
        {
            _n++;
            _net += buyer.NetRevenue;
            _gross += buyer.GrossRevenue;
            _refunds += buyer.Refunds;
            _clv += buyer.PredictedClv;
            _profit += buyer.PredictedProfit;
            if (buyer.PAlive is { } alive)
            {
                _alive += alive;
                _aliveCount++;
            }

            _top20 += buyer.InTop20 ? 1 : 0;
            _notWorthInvesting += buyer.NotWorthInvesting ? 1 : 0;
        }

        public ChannelQualityRow Row(decimal? shopProfit, int minCustomers)
        {
            var clv = ChannelQuality.MeanInterval(_n, _clv, ClvSquares);
            var profit = ChannelQuality.MeanInterval(_n, _profit, ProfitSquares);
            var verdict = shopProfit is not { } average ? null
                : _n < minCustomers ? ChannelQuality.NotEnoughData
                : profit.Low > average ? ChannelQuality.Invest
                : profit.High < average ? ChannelQuality.Reduce
                : ChannelQuality.Keep;
            return new ChannelQualityRow
            {
                Channel = channel,
                Customers = _n,
                NetRevenue = _net,
                AverageNetRevenue = _n == 0 ? 0m : decimal.Round(_net / _n, 2),
                AveragePredictedClv = clv.Mean,
                PredictedClvInterval = new Interval90(clv.Low, clv.High),
                AveragePredictedProfit = profit.Mean,
                PredictedProfitInterval = new Interval90(profit.Low, profit.High),
                ShareTop20 = _n == 0 ? 0 : (double)_top20 / _n,
                ShareNotWorthInvesting = _n == 0 ? 0 : (double)_notWorthInvesting / _n,
                ReturnRate = _gross <= 0m ? 0 : (double)(_refunds / _gross),
                AveragePAlive = _aliveCount == 0 ? null : _alive / _aliveCount,
                Verdict = verdict,
            };
        }
    }
}
