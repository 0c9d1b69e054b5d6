using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>Customer summaries read from an input file, ready for the models.</summary>
/// <param name="Path">The input file.</param>
/// <param name="Format">What the file turned out to be: summary, transactions (CSV) or cdnow.</param>
/// <param name="Unit">Time unit of the summaries.</param>
/// <param name="Summaries">One summary per customer, valid by the models' rules.</param>
/// <param name="HasMonetaryValue">Whether spend per purchase is known (summary with monetary_value/zbar, or transactions).</param>
/// <param name="CalibrationEnd">The calibration end the transactions were summarised at; null for a summary file.</param>
/// <param name="Transactions">Transactions read; null for a summary file.</param>
/// <param name="TransactionsAfterCalibrationEnd">Transactions dated after the calibration end (not used); null for a summary file.</param>
/// <param name="Warnings">Transactions skipped or adjusted by the summary rules, with file line numbers.</param>
public sealed record ClvInput(
    string Path,
    string Format,
    TimeUnit Unit,
    IReadOnlyList<CustomerSummary> Summaries,
    bool HasMonetaryValue,
    DateTime? CalibrationEnd,
    int? Transactions,
    int? TransactionsAfterCalibrationEnd,
    IReadOnlyList<string> Warnings)
{
    private CustomerTable? _customers;

    /// <summary>The summaries as rows and CSV id fields (the loader gives a table; any other list is converted once).</summary>
    internal CustomerTable Customers => _customers ??= Summaries as CustomerTable ?? CustomerTable.FromSummaries(Summaries);

    /// <summary>Customers with at least one repeat purchase.</summary>
    public int RepeatBuyers => Summaries.Count(s => s.Frequency > 0);
}
