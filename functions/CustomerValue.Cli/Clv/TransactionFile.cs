using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>Transactions read from a file.</summary>
/// <param name="Transactions">The transactions in file order.</param>
/// <param name="Lines">File line number (1-based) of each transaction, same order.</param>
/// <param name="Layout">"transactions" (CSV with header) or "cdnow".</param>
public sealed record TransactionFile(IReadOnlyList<Transaction> Transactions, IReadOnlyList<int> Lines, string Layout)
{
    /// <summary>The latest transaction date, or null when there are none.</summary>
    public DateTime? LastDate => Transactions.Count == 0 ? null : Transactions.Max(t => t.Date.Date);

    /// <summary>The file line of the 1-based transaction position <paramref name="row"/> (as in <see cref="InputIssue.Row"/>).</summary>
    public int LineOf(int row) => row >= 1 && row <= Lines.Count ? Lines[row - 1] : row;
}
