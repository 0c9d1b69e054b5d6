using System.Net;
using System.Security.Cryptography;
using System.Text;
using CustomerValue.Functions.Functions;

namespace CustomerValue.Functions.Configuration;

/// <summary>
/// The API key of a server that runs on its own (not under the Functions host, which enforces function keys itself).
/// On 127.0.0.1 (the default) only the machine's own users reach it; bound to any other address, the read, privacy and
/// invocation routes (everything but the readiness probe and the signed webhooks) require <c>LocalMode:ApiKey</c>,
/// sent as <c>x-functions-key</c> (as to the Functions host) or <c>Authorization: Bearer</c>, and the server refuses to
/// start without one. A configured key is required on loopback too.
/// </summary>
public static class LocalApiKey
{
    /// <summary>The setting.</summary>
    public const string SettingName = "LocalMode:ApiKey";

    /// <summary>The header the Functions host reads function keys from.</summary>
    public const string HeaderName = "x-functions-key";

    /// <summary>
    /// Checks the addresses the server will listen on and adds the key check. Throws when it would listen beyond
    /// loopback without a key.
    /// </summary>
    public static void Use(WebApplication app, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServerSettings.CustomHandlerPortVariable)))
        {
            return; // under the Functions host: it listens on 127.0.0.1 and the host checks function keys
        }

        var key = configuration[SettingName];
        var urls = configuration["urls"] is { Length: > 0 } configured ? configured : ServerSettings.DefaultUrls;
        var exposed = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u => !IsLoopback(u)).ToList();
        if (string.IsNullOrEmpty(key))
        {
            if (exposed.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The server would listen on {string.Join(", ", exposed)}, beyond this machine, with its profile, privacy and invocation routes open: set {SettingName} (sent as the {HeaderName} header or Authorization: Bearer), or listen on 127.0.0.1.");
            }

            return;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        app.Use(async (context, next) =>
        {
            if (IsOpen(context.Request.Path) || Matches(context.Request, expected))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new ApiError($"This route requires the API key ({HeaderName} header or Authorization: Bearer)."));
        });
    }

    /// <summary>True for a URL whose host is a loopback address or <c>localhost</c>.</summary>
    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var authority = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var host = authority.StartsWith('[') ? authority[1..authority.IndexOf(']', StringComparison.Ordinal)] : authority.Split(':', '/')[0];
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    // The readiness probes (and / itself, a redirect to the dashboard) carry nothing; webhooks are authenticated by their signatures.
    private static bool IsOpen(PathString path) =>
        path == "/" || path == ServerApp.ReadinessPath || path.StartsWithSegments("/api/webhooks", StringComparison.OrdinalIgnoreCase);

    private static bool Matches(HttpRequest request, byte[] expected)
    {
        var sent = request.Headers[HeaderName].ToString();
        if (sent.Length == 0 && request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            sent = authorization["Bearer ".Length..].Trim();
        }

        // Hashes of equal length compared in constant time: neither the key's length nor its prefix leaks by timing.
        return sent.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), expected);
    }
}
