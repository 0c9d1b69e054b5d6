using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Migrations;

/// <summary>
/// How customers moved between the value tiers from one run to the next: rows are where they were
/// (<c>top-20</c>, <c>middle-60</c>, <c>bottom-20</c>, or <see cref="New"/> when the earlier run did not rank them),
/// columns where they are (the tiers, or <see cref="Gone"/> when the later run does not rank them: merged, erased or no
/// longer a buyer). Each cell counts customers and sums their predicted CLV: the later run's value, except in the
/// <see cref="Gone"/> column, which can only carry the earlier run's. Every row adds up to the earlier run's tier size
/// (and <see cref="New"/> to the newcomers), every column to the later run's tier size.
/// </summary>
public sealed class MigrationMatrix
{
    /// <summary>The row of customers the earlier run did not rank.</summary>
    public const string New = "(new)";

    /// <summary>The column of customers the later run does not rank.</summary>
    public const string Gone = "(gone)";

    private readonly Dictionary<(string From, string To), MigrationCell> _cells;

    private MigrationMatrix(Dictionary<(string From, string To), MigrationCell> cells)
    {
        _cells = cells;
    }

    /// <summary>Row labels: the tiers, then <see cref="New"/>.</summary>
    public static IReadOnlyList<string> Rows { get; } = [.. SegmentNames.ValueTiers, New];

    /// <summary>Column labels: the tiers, then <see cref="Gone"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } = [.. SegmentNames.ValueTiers, Gone];

    /// <summary>The cell from one row to one column (zero when nobody moved that way).</summary>
    public MigrationCell this[string from, string to] => _cells.GetValueOrDefault((from, to), MigrationCell.Empty);

    /// <summary>The total of a row: everyone who started there.</summary>
    public MigrationCell RowTotal(string from) => Sum(Columns.Select(to => this[from, to]));

    /// <summary>The total of a column: everyone who ended there.</summary>
    public MigrationCell ColumnTotal(string to) => Sum(Rows.Select(from => this[from, to]));

    /// <summary>Everyone in either run.</summary>
    public MigrationCell Total => Sum(_cells.Values);

    /// <summary>Every cell, row by row, including empty ones: what an API or a printed table shows.</summary>
    public IEnumerable<(string From, string To, MigrationCell Cell)> Cells =>
        Rows.SelectMany(from => Columns.Select(to => (from, to, this[from, to])));

    /// <summary>The matrix between two runs' tier placements (one entry per ranked customer in each run).</summary>
    public static MigrationMatrix Between(IEnumerable<TierPlacement> earlier, IEnumerable<TierPlacement> later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var before = new Dictionary<string, TierPlacement>(StringComparer.Ordinal);
        foreach (var placement in earlier)
        {
            before[placement.ProfileId] = placement;
        }

        var cells = new Dictionary<(string, string), MigrationCell>();
        foreach (var placement in later)
        {
            var from = before.Remove(placement.ProfileId, out var was) ? was.Tier : New;
            Add(cells, (from, placement.Tier), placement.PredictedClv);
        }

        foreach (var gone in before.Values)
        {
            Add(cells, (gone.Tier, Gone), gone.PredictedClv);
        }

        return new MigrationMatrix(cells);
    }

    /// <summary>
    /// Counts the matrix one customer at a time, when each customer's tier in both runs is known together (as the
    /// recompute knows it from the profile's stored tier): a few cells instead of every customer's placement in each run.
    /// </summary>
    public sealed class Tally
    {
        private readonly Dictionary<(string, string), MigrationCell> _cells = [];

        /// <summary>
        /// Adds one customer: <paramref name="earlier"/> is the tier of the earlier run and its predicted CLV, null when
        /// it did not rank them; <paramref name="later"/> the same for the later run.
        /// </summary>
        public void Add((string Tier, decimal PredictedClv)? earlier, (string Tier, decimal PredictedClv)? later)
        {
            if (later is { } now)
            {
                MigrationMatrix.Add(_cells, (earlier?.Tier ?? New, now.Tier), now.PredictedClv);
            }
            else if (earlier is { } was)
            {
                MigrationMatrix.Add(_cells, (was.Tier, Gone), was.PredictedClv);
            }
        }

        /// <summary>The matrix of the customers added so far.</summary>
        public MigrationMatrix Matrix() => new(new Dictionary<(string, string), MigrationCell>(_cells));
    }

    private static void Add(Dictionary<(string, string), MigrationCell> cells, (string, string) key, decimal clv)
    {
        var cell = cells.GetValueOrDefault(key, MigrationCell.Empty);
        cells[key] = new MigrationCell(cell.Customers + 1, cell.PredictedClv + clv);
    }

    private static MigrationCell Sum(IEnumerable<MigrationCell> cells) =>
        cells.Aggregate(MigrationCell.Empty, (a, b) => new MigrationCell(a.Customers + b.Customers, a.PredictedClv + b.PredictedClv));
}

/// <summary>Customers and predicted CLV that moved one way.</summary>
/// <param name="Customers">How many customers.</param>
/// <param name="PredictedClv">Their predicted 12-month CLV.</param>
public sealed record MigrationCell(int Customers, decimal PredictedClv)
{
    /// <summary>Nobody.</summary>
    public static MigrationCell Empty { get; } = new(0, 0m);
}

/// <summary>A ranked customer's tier in one run.</summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Tier"><c>top-20</c>, <c>middle-60</c> or <c>bottom-20</c>.</param>
/// <param name="PredictedClv">The run's predicted 12-month CLV (0 when the models did not value the customer).</param>
public sealed record TierPlacement(string ProfileId, string Tier, decimal PredictedClv);
