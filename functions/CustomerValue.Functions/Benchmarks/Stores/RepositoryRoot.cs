namespace CustomerValue.Functions.Benchmarks.Stores;

/// <summary>Finds the checkout the benchmark runs in, for the Cosmos-API server in <c>tests/emulators</c>.</summary>
internal static class RepositoryRoot
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFile = "CustomerValue.Functions.sln";

    /// <summary>
    /// The nearest folder at or above <paramref name="start"/> that holds <see cref="SolutionFile"/>. The working
    /// directory, not the binary's folder: the bench is run from a checkout, and a published binary has none above it.
    /// </summary>
    public static string Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new BenchSetupException(
            $"{SolutionFile} was not found in {start} or any folder above it, so tests/emulators/cosmos-server.js cannot be started. "
            + "Run the bench from the repository (or a folder inside it), or pass --cosmos-endpoint URL to use a server that is already running.");
    }
}
