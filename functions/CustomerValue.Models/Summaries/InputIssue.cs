namespace CustomerValue.Models.Summaries;

/// <summary>One broken input rule.</summary>
/// <param name="Row">1-based position of the offending item in the input (row 1 is the first summary or transaction).</param>
/// <param name="CustomerId">Customer identifier, when known.</param>
/// <param name="Message">What is wrong, with the offending values.</param>
public sealed record InputIssue(int Row, string? CustomerId, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => CustomerId is null
        ? $"row {Row}: {Message}"
        : $"row {Row} (customer '{CustomerId}'): {Message}";
}
