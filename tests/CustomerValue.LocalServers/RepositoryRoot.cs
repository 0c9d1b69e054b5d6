namespace CustomerValue.LocalServers;

/// <summary>Finds the checkout the local servers are started from: the folder that holds <c>tests/emulators</c>.</summary>
public static class RepositoryRoot
{
    /// <summary>The folder of the emulators' npm packages, relative to the repository root.</summary>
    public static readonly string EmulatorsFolder = Path.Combine("tests", "emulators");

    /// <summary>
    /// The nearest folder holding <c>tests/emulators/package.json</c> at or above the app's own folder, else at or
    /// above the working directory.
    /// </summary>
    /// <exception cref="LocalServerException">Neither lies inside a checkout.</exception>
    public static string Find()
    {
        // The app's folder first, as the test fixtures always did: test output folders and the bin folder of
        // `dotnet run` or of the built app lie inside the checkout whatever the working directory is. A published
        // binary has no checkout above it; it can still be run from inside one, hence the working directory second.
        var current = Directory.GetCurrentDirectory();
        return TryFind(AppContext.BaseDirectory) ?? TryFind(current) ?? throw new LocalServerException(
            $"{Path.Combine(EmulatorsFolder, "package.json")} was not found in {AppContext.BaseDirectory} or {current} or any folder above them: "
            + "run from the repository (or a folder inside it).");
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> holding <c>tests/emulators/package.json</c>; null when there is none.</summary>
    public static string? TryFind(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, EmulatorsFolder, "package.json")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
