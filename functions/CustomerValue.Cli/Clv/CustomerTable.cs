using System.Collections;
using System.Text;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// The customers of an input file as the models read them: one <see cref="SummaryRow"/> per customer, and each id as
/// the UTF-8 bytes of its CSV field (quoted where it needs it), ready to be copied into an output row. A million
/// customers then cost two arrays rather than a million records and id strings; <see cref="CustomerSummary"/> records
/// are made only when a command enumerates the table, once.
/// </summary>
internal sealed class CustomerTable : IReadOnlyList<CustomerSummary>
{
    private readonly byte[] _idFields;
    private readonly int[] _idStarts;
    private readonly int[] _idLengths;
    private CustomerSummary[]? _summaries;

    private CustomerTable(SummaryRow[] rows, byte[] idFields, int[] idStarts, int[] idLengths, CustomerSummary[]? summaries)
    {
        Rows = rows;
        _idFields = idFields;
        _idStarts = idStarts;
        _idLengths = idLengths;
        _summaries = summaries;
    }

    /// <summary>Each customer's (x, t_x, T, m), in file order.</summary>
    public SummaryRow[] Rows { get; }

    /// <inheritdoc/>
    public int Count => Rows.Length;

    /// <inheritdoc/>
    public CustomerSummary this[int index] => Summaries()[index];

    /// <summary>
    /// A table over ids that need no quoting (no ',', '"', CR or LF; the fast summary reader only accepts such files),
    /// customer i's id being <paramref name="idLengths"/>[i] bytes of <paramref name="idFields"/> (the file itself)
    /// from <paramref name="idStarts"/>[i].
    /// </summary>
    public static CustomerTable FromPlainIds(SummaryRow[] rows, byte[] idFields, int[] idStarts, int[] idLengths) =>
        new(rows, idFields, idStarts, idLengths, null);

    /// <summary>A table over summaries read or computed elsewhere (ids are quoted as CSV needs).</summary>
    public static CustomerTable FromSummaries(IReadOnlyList<CustomerSummary> summaries)
    {
        var rows = new SummaryRow[summaries.Count];
        var starts = new int[summaries.Count];
        var lengths = new int[summaries.Count];
        var fields = new MemoryStream();
        var copy = new CustomerSummary[summaries.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var s = summaries[i];
            copy[i] = s;
            rows[i] = s.ToRow();
            starts[i] = (int)fields.Length;
            fields.Write(Encoding.UTF8.GetBytes(CsvColumns.Escape(s.Id)));
            lengths[i] = (int)fields.Length - starts[i];
        }

        return new CustomerTable(rows, fields.ToArray(), starts, lengths, copy);
    }

    /// <summary>Customer <paramref name="index"/>'s id as its CSV field, in UTF-8.</summary>
    public ReadOnlySpan<byte> IdField(int index) => _idFields.AsSpan(_idStarts[index], _idLengths[index]);

    /// <inheritdoc/>
    public IEnumerator<CustomerSummary> GetEnumerator() => ((IEnumerable<CustomerSummary>)Summaries()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private CustomerSummary[] Summaries()
    {
        if (_summaries is { } made)
        {
            return made;
        }

        var summaries = new CustomerSummary[Rows.Length];
        for (int i = 0; i < summaries.Length; i++)
        {
            var r = Rows[i];
            summaries[i] = new CustomerSummary(Encoding.UTF8.GetString(IdField(i)), r.Frequency, r.Recency, r.T, r.MonetaryValue);
        }

        return _summaries = summaries;
    }
}
