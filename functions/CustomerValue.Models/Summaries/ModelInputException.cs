namespace CustomerValue.Models.Summaries;

/// <summary>Input that breaks the models' rules; <see cref="Issues"/> lists every broken rule with its row number.</summary>
public sealed class ModelInputException : Exception
{
    /// <summary>Creates the exception from the issues found.</summary>
    public ModelInputException(IReadOnlyList<InputIssue> issues)
        : base(Describe(issues))
    {
        Issues = issues;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ModelInputException(string message)
        : base(message)
    {
        Issues = [];
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public ModelInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Issues = [];
    }

    /// <summary>Creates an exception without details.</summary>
    public ModelInputException()
        : this("Invalid model input.")
    {
    }

    /// <summary>Every broken rule, in input order.</summary>
    public IReadOnlyList<InputIssue> Issues { get; }

    private static string Describe(IReadOnlyList<InputIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        const int shown = 10;
        var lines = issues.Take(shown).Select(i => "  " + i);
        string more = issues.Count > shown ? $"{Environment.NewLine}  ... and {issues.Count - shown} more" : string.Empty;
        return $"{issues.Count} input row(s) break the model rules:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{more}";
    }
}
