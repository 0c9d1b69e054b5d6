using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Segmentation.Queries;

/// <summary>
/// The tier migration matrix of one run against the run before it: rows are the earlier tiers plus <c>(new)</c>,
/// columns the later tiers plus <c>(gone)</c>; every cell is listed, empty ones too. Rows add up to the earlier run's
/// tier sizes, columns to this run's (see <see cref="Migrations.MigrationMatrix"/>).
/// </summary>
/// <param name="RunId">The later run.</param>
/// <param name="PreviousRunId">The earlier run; null when this run is the first (everyone is <c>(new)</c>).</param>
/// <param name="Rows">Row labels in order.</param>
/// <param name="Columns">Column labels in order.</param>
/// <param name="Cells">Every cell, row by row.</param>
/// <param name="RowTotals">Per row: everyone who started there.</param>
/// <param name="ColumnTotals">Per column: everyone who ended there.</param>
/// <param name="Total">Everyone in either run.</param>
public sealed record TierMigrations(
    string RunId, string? PreviousRunId, IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, IReadOnlyList<MigrationFlow> Cells,
    IReadOnlyList<MigrationTotal> RowTotals, IReadOnlyList<MigrationTotal> ColumnTotals, MigrationTotal Total);

/// <summary>A row's or column's total.</summary>
/// <param name="Label">The tier, <c>(new)</c>, <c>(gone)</c> or <c>(all)</c>.</param>
/// <param name="Customers">Customers.</param>
/// <param name="PredictedClv">Their predicted CLV.</param>
public sealed record MigrationTotal(string Label, int Customers, decimal PredictedClv);

/// <summary>The channel table of the latest run.</summary>
/// <param name="RunId">The run; null before the first.</param>
/// <param name="ComputedAt">When the run started.</param>
/// <param name="Channels">One row per first-touch acquisition channel, most customers first.</param>
/// <param name="Shop">All buyers together, the average the verdicts compare with; null before the first run.</param>
public sealed record ChannelReport(string? RunId, DateTimeOffset? ComputedAt, IReadOnlyList<Channels.ChannelQualityRow> Channels, Channels.ChannelQualityRow? Shop);
