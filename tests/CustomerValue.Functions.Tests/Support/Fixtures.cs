namespace CustomerValue.Functions.Tests.Support;

/// <summary>Reads the test fixtures copied beside the test assembly.</summary>
public static class Fixtures
{
    /// <summary>The text of <c>Fixtures/{relativePath}</c>.</summary>
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath));
}
