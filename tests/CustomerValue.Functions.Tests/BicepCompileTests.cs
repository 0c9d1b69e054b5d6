using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// Every .bicep file under infra/ compiles and lints without a single diagnostic, with the Bicep CLI restored from
/// NuGet by this project (see its csproj): a warning is a failure, as for the C# code.
/// </summary>
[Trait("Category", "Slow")] // runs the Bicep CLI over every file: run by tests/run.sh, skipped by --fast
public sealed partial class BicepCompileTests
{
    private static readonly string Root = FindRepositoryRoot();

    [Fact]
    public async Task EveryBicepFile_BuildsAndLintsWithoutDiagnostics()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Root, "infra"), "*.bicep", SearchOption.AllDirectories).ToArray();
        Assert.True(files.Length >= 8, "infra/ lost its Bicep files, or this test looks in the wrong place");
        using var output = new TempFolder();

        // One process per command for all files: the CLI takes seconds to start.
        var pattern = Path.Combine(Root, "infra", "**", "*.bicep");
        var build = await RunAsync(BicepExecutable(), "build", "--pattern", pattern, "--outdir", output.Path);
        var lint = await RunAsync(BicepExecutable(), "lint", "--pattern", pattern);

        Assert.True(build.ExitCode == 0 && Diagnostics(build).Length == 0, $"bicep build (exit {build.ExitCode}):\n{build.Output}{build.Error}");
        Assert.True(lint.ExitCode == 0 && Diagnostics(lint).Length == 0, $"bicep lint (exit {lint.ExitCode}):\n{lint.Output}{lint.Error}");
        Assert.Equal(files.Select(f => Path.GetFileNameWithoutExtension(f) + ".json").Order(StringComparer.Ordinal), Directory.EnumerateFiles(output.Path, "*.json", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ALintWarning_IsCaughtByTheCheck()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "unused.bicep");
        await File.WriteAllTextAsync(file, "param unused string\n");

        var lint = await RunAsync(BicepExecutable(), "lint", file);

        // Bicep exits 0 on warnings: the check must read the diagnostics.
        Assert.Contains(Diagnostics(lint), d => d.Contains("no-unused-params", StringComparison.Ordinal));
    }

    /// <summary>Diagnostic lines (<c>file(line,col) : Warning rule: message</c>, also Error and Info) in either stream.</summary>
    private static string[] Diagnostics((int ExitCode, string Output, string Error) run) =>
        [.. (run.Output + "\n" + run.Error).Split('\n').Where(line => DiagnosticLine().IsMatch(line))];

    [GeneratedRegex(@"\(\d+,\d+\) : (Error|Warning|Info) ")]
    private static partial Regex DiagnosticLine();

    private static string BicepExecutable()
    {
        var path = typeof(BicepCompileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}: the test project's restore (PackageDownload of Azure.Bicep.CommandLine.*) did not run.");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            // Package extraction does not promise to keep the executable bit.
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cv-bicep-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CustomerValue.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
