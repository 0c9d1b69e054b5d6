using System.Globalization;
using CustomerValue.Segmentation.Kpis;
using CustomerValue.Segmentation.Queries;

namespace CustomerValue.Cli.Demo;

/// <summary>
/// Prints the latest run's segment KPIs (built-in and custom, with targets), the tier migration matrix and the channel
/// table, read through the same queries the APIs answer with.
/// </summary>
public static class DemoSegmentTables
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>Prints the three tables.</summary>
    public static async Task PrintAsync(TextWriter output, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(services);
        var segments = await services.GetRequiredService<SegmentQueries>().ListAsync(cancellationToken);
        var runs = services.GetRequiredService<RunQueries>();
        PrintKpis(output, segments);
        if (await runs.MigrationsAsync(null, cancellationToken) is { } migrations)
        {
            PrintMigrations(output, migrations);
        }

        PrintChannels(output, await runs.ChannelsAsync(cancellationToken));
    }

    private static void PrintKpis(TextWriter output, IReadOnlyList<SegmentOverview> segments)
    {
        output.WriteLine();
        output.WriteLine("Segment KPIs (share of buyers, net revenue of the last 12 months, average predicted CLV and P(alive), repeat and return rates, NPS, entered/left):");
        output.WriteLine($"  {"segment",-24} {"size",7} {"buyers",7} {"revenue 12m",13} {"avg CLV",9} {"P(alive)",8} {"repeat",7} {"returns",7} {"NPS",5} {"in",6} {"out",6}  timing");
        foreach (var segment in segments)
        {
            var k = segment.Kpis;
            var name = segment.Kind == SegmentOverview.CustomKind ? segment.Name + " *" : segment.Name;
            output.WriteLine(string.Create(Culture,
                $"  {name,-24} {segment.Size,7:N0} {Percent(k?.ShareOfBuyers),7} {k?.NetRevenue12Months,13:N0} {k?.AveragePredictedClv,9:N2} {Percent(k?.AveragePAlive),8} {Percent(k?.RepeatPurchaseRate),7} {Percent(k?.ReturnRate),7} {k?.AverageNps,5:0.0} {k?.Entered,6:N0} {k?.Left,6:N0}  {segment.Timing}"));
            foreach (var target in k?.Targets ?? [])
            {
                output.WriteLine(string.Create(Culture,
                    $"  {"",-24}   target {target.Metric} {(target.Comparison == "atMost" ? "≤" : "≥")} {target.Target:G}: {(target.Value is { } v ? v.ToString("0.##", Culture) : "no value")} {(target.Met ? "met" : "not met")}"));
            }
        }

        if (segments.Any(s => s.Kind == SegmentOverview.CustomKind))
        {
            output.WriteLine("  * custom segment (goal-driven; see GET api/segments/{name})");
        }
    }

    private static void PrintMigrations(TextWriter output, TierMigrations migrations)
    {
        output.WriteLine();
        output.WriteLine($"Tier migrations {migrations.PreviousRunId ?? "(no earlier run: everyone is new)"} → {migrations.RunId} (customers / predicted CLV):");
        output.WriteLine($"  {"from \\ to",-11}" + string.Concat(migrations.Columns.Select(c => $" {c,20}")) + $" {"total",20}");
        foreach (var row in migrations.Rows)
        {
            var cells = migrations.Columns.Select(c => migrations.Cells.Single(x => x.From == row && x.To == c)).Select(c => Cell(c.Customers, c.PredictedClv));
            var total = migrations.RowTotals.Single(t => t.Label == row);
            output.WriteLine($"  {row,-11}" + string.Concat(cells.Select(c => $" {c,20}")) + $" {Cell(total.Customers, total.PredictedClv),20}");
        }

        output.WriteLine($"  {"total",-11}" + string.Concat(migrations.ColumnTotals.Select(t => $" {Cell(t.Customers, t.PredictedClv),20}"))
            + $" {Cell(migrations.Total.Customers, migrations.Total.PredictedClv),20}");
    }

    private static void PrintChannels(TextWriter output, ChannelReport report)
    {
        output.WriteLine();
        output.WriteLine(string.Create(Culture,
            $"Acquisition channels (90 % intervals; the verdict compares the profit interval with the shop's average profit {report.Shop?.AveragePredictedProfit:N2}):"));
        output.WriteLine($"  {"channel",-20} {"buyers",7} {"avg net",9} {"avg CLV [90 %]",26} {"avg profit [90 %]",26} {"top-20",7} {"no-invest",9} {"returns",7} {"P(alive)",8}  verdict");
        foreach (var row in report.Channels)
        {
            output.WriteLine(string.Create(Culture,
                $"  {row.Channel,-20} {row.Customers,7:N0} {row.AverageNetRevenue,9:N2} {Interval(row.AveragePredictedClv, row.PredictedClvInterval),26} {Interval(row.AveragePredictedProfit, row.PredictedProfitInterval),26} {Percent(row.ShareTop20),7} {Percent(row.ShareNotWorthInvesting),9} {Percent(row.ReturnRate),7} {Percent(row.AveragePAlive),8}  {row.Verdict}"));
        }

        if (report.Shop is { } shop)
        {
            output.WriteLine(string.Create(Culture, $"  {"(all)",-20} {shop.Customers,7:N0} {shop.AverageNetRevenue,9:N2} {Interval(shop.AveragePredictedClv, shop.PredictedClvInterval),26} {Interval(shop.AveragePredictedProfit, shop.PredictedProfitInterval),26}"));
        }
    }

    private static string Cell(int customers, decimal clv) => string.Create(Culture, $"{customers:N0} / {clv:N0}");

    private static string Interval(decimal mean, Segmentation.Channels.Interval90 interval) =>
        string.Create(Culture, $"{mean:N2} [{interval.Low:N2}–{interval.High:N2}]");

    private static string Percent(double? share) => share is { } s ? s.ToString("P0", Culture) : "-";
}
