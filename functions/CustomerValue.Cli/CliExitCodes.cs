namespace CustomerValue.Cli;

/// <summary>Exit codes of the analyst commands (<c>clv</c>, <c>bench</c>).</summary>
public static class CliExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Bad command-line syntax (reported by System.CommandLine).</summary>
    public const int UsageError = 1;

    /// <summary>The input file is missing, unreadable or breaks an input rule (message on stderr, with row numbers).</summary>
    public const int InputError = 2;
}
