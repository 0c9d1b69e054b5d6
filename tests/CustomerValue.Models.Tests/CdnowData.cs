using System.Globalization;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Tests;

/// <summary>Loads the CDNOW test files copied into Data/ (see Data/PROVENANCE.md).</summary>
internal static class CdnowData
{
    private static readonly Lazy<IReadOnlyList<CustomerSummary>> Summary = new(LoadSummary);

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Data", file);

    /// <summary>cdnow_customers_summary_with_transactions.csv: x, t_x, T (weeks), zbar.</summary>
    public static IReadOnlyList<CustomerSummary> SummaryWithTransactions => Summary.Value;

    private static CustomerSummary[] LoadSummary() => File.ReadLines(PathOf("cdnow_customers_summary_with_transactions.csv"))
        .Skip(1)
        .Select(line => line.Split(','))
        .Select(f => new CustomerSummary(f[0], D(f[1]), D(f[2]), D(f[3]), D(f[4])))
        .ToArray();

    /// <summary>CDNOW_sample.txt or CDNOW_master.txt as (customer id, date, dollars) transactions.</summary>
    public static IEnumerable<(string Id, DateTime Date, decimal Amount)> Transactions(string file, int idColumn, int dateColumn, int amountColumn) =>
        File.ReadLines(PathOf(file))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > amountColumn && char.IsDigit(f[dateColumn][0]))
            .Select(f => (f[idColumn], DateTime.ParseExact(f[dateColumn], "yyyyMMdd", CultureInfo.InvariantCulture), decimal.Parse(f[amountColumn], CultureInfo.InvariantCulture)));

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
