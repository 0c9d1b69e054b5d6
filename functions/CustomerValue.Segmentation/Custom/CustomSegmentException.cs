namespace CustomerValue.Segmentation.Custom;

/// <summary>Custom segment definitions that were refused, with every problem found.</summary>
public sealed class CustomSegmentException : Exception
{
    public CustomSegmentException()
    {
    }

    public CustomSegmentException(string message)
        : base(message)
    {
    }

    public CustomSegmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Refused for these problems, each naming the field (and for rules, the position) it concerns.</summary>
    public CustomSegmentException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Every problem, e.g. <c>segments[1].rule: line 1, column 7: unknown field 'valu'</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
