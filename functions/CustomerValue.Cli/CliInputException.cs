namespace CustomerValue.Cli;

/// <summary>
/// Input the command line cannot use: a missing or unreadable file, a column that is not there, a value that is not a
/// number or date, a summary that breaks the model rules. The commands print <see cref="Exception.Message"/> (with row
/// and line numbers) on stderr and exit with <see cref="CliExitCodes.InputError"/>, never with a stack trace.
/// </summary>
public sealed class CliInputException : Exception
{
    /// <summary>Most problems listed in one message.</summary>
    public const int MaxListed = 20;

    /// <summary>Creates the exception with a message.</summary>
    public CliInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception behind it.</summary>
    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception without details.</summary>
    public CliInputException()
        : this("Invalid input.")
    {
    }

    /// <summary>An exception listing <paramref name="problems"/> (at most <see cref="MaxListed"/>) under a heading.</summary>
    public static CliInputException FromProblems(string heading, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var lines = problems.Take(MaxListed).Select(p => "  " + p).ToList();
        if (problems.Count > MaxListed)
        {
            lines.Add($"  ... and {problems.Count - MaxListed} more");
        }

        return new CliInputException(heading + Environment.NewLine + string.Join(Environment.NewLine, lines));
    }
}
