namespace CustomerValue.Models.Summaries;

/// <summary>One purchase (positive amount) or return/cancellation (negative amount) of a customer.</summary>
/// <param name="CustomerId">Customer identifier.</param>
/// <param name="Date">When it happened; only the calendar date is used.</param>
/// <param name="Amount">Value in currency; negative for returns and cancellations.</param>
public readonly record struct Transaction(string CustomerId, DateTime Date, decimal Amount);
