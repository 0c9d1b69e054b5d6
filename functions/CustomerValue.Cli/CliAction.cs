using System.CommandLine;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli;

/// <summary>
/// Runs a command body with the invocation's stdout/stderr writers (so tests can capture them) and turns input
/// problems into a message on stderr and exit code <see cref="CliExitCodes.InputError"/> instead of a stack trace.
/// </summary>
public static class CliAction
{
    /// <summary>The body of a command: parse result, stdout, stderr, cancellation → exit code.</summary>
    public delegate int Body(ParseResult parse, TextWriter output, TextWriter error, CancellationToken cancellationToken);

    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public static void Set(Command command, Body body)
    {
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return Task.FromResult(Run(command.Name, body, parse, output, error, ct));
        });
    }

    private static int Run(string name, Body body, ParseResult parse, TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            int code = body(parse, output, error, ct);
            output.Flush();
            return code;
        }
        catch (CliInputException ex)
        {
            return Fail(error, name, ex.Message);
        }
        catch (ModelInputException ex)
        {
            return Fail(error, name, ex.Message);
        }
        catch (FileNotFoundException ex)
        {
            return Fail(error, name, $"file not found: {ex.FileName ?? ex.Message}");
        }
        catch (DirectoryNotFoundException ex)
        {
            return Fail(error, name, $"folder not found: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return Fail(error, name, $"access denied: {ex.Message}");
        }
        catch (IOException ex)
        {
            return Fail(error, name, $"cannot read or write a file: {ex.Message}");
        }
    }

    private static int Fail(TextWriter error, string command, string message)
    {
        error.WriteLine($"{command}: error: {message}");
        error.Flush();
        return CliExitCodes.InputError;
    }
}
