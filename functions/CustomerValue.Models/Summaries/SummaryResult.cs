namespace CustomerValue.Models.Summaries;

/// <summary>Result of <see cref="TransactionSummarizer.Summarize"/>.</summary>
/// <param name="Summaries">One RFM summary per customer with a purchase on or before the calibration end, ordered by id.</param>
/// <param name="Histories">The matching descriptive histories, same order.</param>
/// <param name="Issues">Transactions that were skipped or adjusted, with their 1-based input row numbers.</param>
/// <param name="TransactionsAfterCalibrationEnd">Transactions dated after the calibration end (not used).</param>
public sealed record SummaryResult(
    IReadOnlyList<CustomerSummary> Summaries,
    IReadOnlyList<CustomerHistory> Histories,
    IReadOnlyList<InputIssue> Issues,
    int TransactionsAfterCalibrationEnd);
