using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;

namespace CustomerValue.Benchmarks;

/// <summary>What every benchmark prints about the process it measures, and how it cleans up after itself.</summary>
internal static class BenchEnvironment
{
    /// <summary>True for a Debug build, whose figures do not count against any target.</summary>
    public static bool IsDebugBuild { get; } = typeof(BenchEnvironment).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;

    /// <summary>E.g. "Release build, .NET 10.0.12, 2 logical processors, server GC (concurrent)".</summary>
    public static string Describe() => string.Format(CultureInfo.InvariantCulture, "{0} build, .NET {1}, {2} logical processors, {3} GC{4}",
        IsDebugBuild ? "Debug" : "Release", Environment.Version, Environment.ProcessorCount, GCSettings.IsServerGC ? "server" : "workstation",
        GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : string.Empty);

    /// <summary>Prints the first line of a benchmark: its name, the process, and its own settings.</summary>
    public static void WriteHeader(TextWriter output, string command, string settings)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"bench {command}: {Describe()}, {settings}.");
        if (IsDebugBuild)
        {
            output.WriteLine($"warning: this is a Debug build; the targets are for Release: dotnet run -c Release --project tests/CustomerValue.Benchmarks -- {command}");
        }

        output.Flush();
    }

    /// <summary>Deletes a benchmark's temporary folder, closing pooled SQLite connections first; best effort.</summary>
    public static void TryDeleteFolder(string folder)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // The folder is under the system temp folder anyway.
        }
    }
}
