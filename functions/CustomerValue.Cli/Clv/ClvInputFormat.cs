namespace CustomerValue.Cli.Clv;

/// <summary>Values of <c>--format</c>.</summary>
public static class ClvInputFormat
{
    /// <summary>Detect from the first line: a CSV header with frequency/x → summary; with date → transactions; whitespace-separated → CDNOW.</summary>
    public const string Auto = "auto";

    /// <summary>CSV of RFM summaries: id, frequency (x), recency (t_x), T, optional monetary_value (zbar).</summary>
    public const string Summary = "summary";

    /// <summary>Transactions: CSV with customer_id, date, amount; a whitespace-separated CDNOW file is recognised too.</summary>
    public const string Transactions = "transactions";

    /// <summary>CDNOW layout: whitespace-separated, customer_id YYYYMMDD cds dollars (master) or master_id sample_id YYYYMMDD cds dollars (sample).</summary>
    public const string Cdnow = "cdnow";

    /// <summary>All values, for <c>AcceptOnlyFromAmong</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [Auto, Summary, Transactions, Cdnow];
}
