namespace CustomerValue.Segmentation.Custom;

/// <summary>A custom-segment rule that cannot be accepted, with the position (1-based line and column) it points at.</summary>
public sealed class RuleException : Exception
{
    public RuleException()
    {
    }

    public RuleException(string message)
        : base(message)
    {
    }

    public RuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A problem at a position of the rule text.</summary>
    public RuleException(string problem, int line, int column)
        : base($"line {line}, column {column}: {problem}")
    {
        Problem = problem;
        Line = line;
        Column = column;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string? Problem { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }
}
