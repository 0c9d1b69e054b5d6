using System.CommandLine;
using CustomerValue.Benchmarks;
using CustomerValue.Cli;

namespace CustomerValue.Cli.Tests;

/// <summary>Runs the root command in-process with captured stdout and stderr.</summary>
internal static class Cli
{
    public static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "Data", file);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(CommandLine.Build(), args);

    /// <summary>Runs the benchmarks' root command (its own executable, tests/CustomerValue.Benchmarks).</summary>
    public static Task<CliResult> BenchAsync(params string[] args) => RunAsync(BenchCommand.Build(), args);

    private static async Task<CliResult> RunAsync(RootCommand root, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

/// <summary>Exit code and captured streams of one run.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Output}{Environment.NewLine}stderr:{Environment.NewLine}{Error}";
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "clv-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => Path.Combine(Root, name);

    public string Write(string name, string content)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
