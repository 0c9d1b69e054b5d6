using System.Data.Common;
using System.Text;
using Azure.Core;

namespace CustomerValue.Storage.Azure.Cosmos;

/// <summary>
/// How <see cref="CosmosDocumentStore"/> reaches its account. Key auth when <see cref="Key"/> is set (connection
/// string, emulator); otherwise <see cref="Credential"/>, by default <c>DefaultAzureCredential</c> (managed identity
/// in Azure, the developer's login elsewhere). <see cref="ToString"/> never prints the key.
/// </summary>
public sealed record CosmosStoreOptions
{
    /// <summary>The database the app uses unless configured otherwise (infra/main.bicep creates it).</summary>
    public const string DefaultDatabaseName = "customervalue";

    /// <summary>The app-setting name shared with the Cosmos DB trigger's <c>connection</c> property.</summary>
    public const string DefaultConnectionName = "CosmosDb";

    /// <summary>The account endpoint, e.g. <c>https://myaccount.documents.azure.com:443/</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Account key (key auth); null for token auth.</summary>
    public string? Key { get; init; }

    /// <summary>Token credential used when <see cref="Key"/> is null; null means <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>Database name.</summary>
    public string DatabaseName { get; init; } = DefaultDatabaseName;

    /// <summary>
    /// Whether <see cref="CosmosDocumentStore.InitializeAsync"/> creates the database and containers when missing.
    /// Off in Azure: data-plane RBAC (managed identity) cannot create them; infra does. On for the emulator and
    /// key-auth development accounts.
    /// </summary>
    public bool CreateIfMissing { get; init; }

    /// <summary>
    /// Bulk execution: the SDK groups concurrent point writes into batches per partition (the recompute write-back).
    /// Raises throughput at the price of latency per call; unsupported by the test emulator.
    /// </summary>
    public bool AllowBulk { get; init; }

    /// <summary>Gateway (HTTPS) instead of direct (TCP) connectivity: emulators, restrictive networks.</summary>
    public bool GatewayMode { get; init; }

    /// <summary>Talk only to <see cref="Endpoint"/>, never to the regional endpoints the account advertises (emulators).</summary>
    public bool LimitToEndpoint { get; init; }

    /// <summary>Supplies the HttpClient for gateway traffic (tests: a handler that trusts the emulator's certificate).</summary>
    public Func<HttpClient>? HttpClientFactory { get; init; }

    /// <summary>
    /// A PEM certificate file the server may present although no trusted authority issued it: an emulator's
    /// self-signed certificate. Only that exact certificate is accepted besides what the system trusts, so nothing
    /// else is let through; the alternative, turning validation off, would be. Ignored when
    /// <see cref="HttpClientFactory"/> is set.
    /// </summary>
    public string? TrustedCertificatePath { get; init; }

    /// <summary>How often the SDK retries a request throttled with 429, waiting the server's x-ms-retry-after-ms each time.</summary>
    public int MaxRetryAttemptsOnRateLimitedRequests { get; init; } = 9;

    /// <summary>The longest total time the SDK spends waiting out 429s for one request before surfacing it.</summary>
    public TimeSpan MaxRetryWaitTimeOnRateLimitedRequests { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Documents per page of <see cref="CosmosDocumentStore.ScanAsync{T}"/>.</summary>
    public int ScanPageSize { get; init; } = 500;

    /// <summary>Sent in the user agent, to tell the app's traffic apart in diagnostics.</summary>
    public string ApplicationName { get; init; } = "CustomerValue.Functions";

    /// <summary>
    /// Parses a key connection string (<c>AccountEndpoint=https://...;AccountKey=...;</c>, as the portal and the emulator
    /// print it).
    /// </summary>
    public static CosmosStoreOptions FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var endpoint = builder.TryGetValue("AccountEndpoint", out var e) ? e as string : null;
        if (string.IsNullOrWhiteSpace(endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("The Cosmos DB connection string has no valid AccountEndpoint.", nameof(connectionString));
        }

        var key = builder.TryGetValue("AccountKey", out var k) ? k as string : null;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException("The Cosmos DB connection string has no AccountKey.", nameof(connectionString));
        }

        return new CosmosStoreOptions { Endpoint = uri, Key = key };
    }

    /// <summary>
    /// Reads the options from app settings the way the Functions host reads the Cosmos DB trigger's connection, so
    /// one setting serves both: <c>{name}</c> holding a key connection string, or <c>{name}__accountEndpoint</c>
    /// (<c>{name}:accountEndpoint</c> in .NET configuration) for identity-based access. Returns null when neither
    /// is set (the app then runs on the embedded store).
    /// </summary>
    /// <param name="setting">Looks a setting up by name; null when absent.</param>
    /// <param name="name">The connection name.</param>
    public static CosmosStoreOptions? FromSettings(Func<string, string?> setting, string name = DefaultConnectionName)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var connectionString = setting(name);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return FromConnectionString(connectionString);
        }

        var endpoint = setting($"{name}__accountEndpoint") ?? setting($"{name}:accountEndpoint");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            ? new CosmosStoreOptions { Endpoint = uri }
            : throw new ArgumentException($"Setting {name}__accountEndpoint is not an absolute URI.", nameof(setting));
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Endpoint = ").Append(Endpoint)
            .Append(", Auth = ").Append(Key is null ? Credential?.GetType().Name ?? "DefaultAzureCredential" : "key (hidden)")
            .Append(", DatabaseName = ").Append(DatabaseName)
            .Append(", CreateIfMissing = ").Append(CreateIfMissing)
            .Append(", AllowBulk = ").Append(AllowBulk)
            .Append(", GatewayMode = ").Append(GatewayMode)
            .Append(", LimitToEndpoint = ").Append(LimitToEndpoint);
        return true;
    }
}
