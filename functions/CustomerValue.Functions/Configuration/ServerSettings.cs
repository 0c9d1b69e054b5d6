namespace CustomerValue.Functions.Configuration;

/// <summary>
/// Where the server keeps its data and whether it drives its own triggers. Read from configuration
/// (<c>DataDir</c>, <c>LocalMode:*</c>) with command-line options taking precedence.
/// </summary>
public sealed class ServerSettings
{
    /// <summary>The environment variable the Functions host sets for a custom handler; its presence means "hosted".</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The default address when serving locally.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>
    /// The default data folder: the user's local application data (<c>~/.local/share/CustomerValue.Functions</c> on
    /// Linux), not the folder the command was typed in, so running the app leaves nothing in a checkout.
    /// </summary>
    public static string DefaultDataDir { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } local ? local : Path.GetTempPath(),
        "CustomerValue.Functions");

    /// <summary>The data folder: embedded store, POS export inbox, outbox.</summary>
    public required string DataDir { get; init; }

    /// <summary>True when the Functions host started the server (<see cref="CustomHandlerPortVariable"/> is set).</summary>
    public bool Hosted { get; init; }

    /// <summary>True when the server drives its own triggers (no Functions host in front of it).</summary>
    public required bool LocalMode { get; init; }

    /// <summary>How often the inbox is scanned for new POS exports.</summary>
    public TimeSpan InboxPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the change log is polled when idle.</summary>
    public TimeSpan ChangeFeedPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The embedded store's file.</summary>
    public string DatabasePath => Path.Combine(DataDir, "customervalue.db");

    /// <summary>The folder that stands in for the <c>pos-exports</c> blob container.</summary>
    public string InboxFolder => Path.Combine(DataDir, "pos-exports");

    /// <summary>The folder of the local segment-change destination.</summary>
    public string OutboxFolder => Path.Combine(DataDir, "outbox");

    /// <summary>Reads the settings, with <paramref name="dataDirOverride"/> from the command line winning.</summary>
    public static ServerSettings From(IConfiguration configuration, string? dataDirOverride)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var hosted = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CustomHandlerPortVariable));
        var dataDir = dataDirOverride ?? configuration["DataDir"] ?? DefaultDataDir;
        return new ServerSettings
        {
            DataDir = Path.GetFullPath(dataDir),
            Hosted = hosted,
            LocalMode = configuration.GetValue("LocalMode:Enabled", !hosted),
            InboxPollInterval = TimeSpan.FromMilliseconds(configuration.GetValue("LocalMode:InboxPollMilliseconds", 2000)),
            ChangeFeedPollInterval = TimeSpan.FromMilliseconds(configuration.GetValue("LocalMode:ChangeFeedPollMilliseconds", 500)),
        };
    }
}
