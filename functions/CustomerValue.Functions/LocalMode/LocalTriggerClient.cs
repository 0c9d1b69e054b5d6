using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// Calls this server's own handler routes the way the Functions host would, so local mode exercises exactly the
/// code path that runs in Azure.
/// </summary>
public sealed class LocalTriggerClient(IServer server, IHttpClientFactory httpClients, IConfiguration configuration)
{
    /// <summary>The named HTTP client used for self-calls.</summary>
    public const string HttpClientName = "local-triggers";

    /// <summary>The server's own base address (loopback), available once it has started.</summary>
    public Uri BaseAddress
    {
        get
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The server has no address yet.");
            var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal));
            return uri;
        }
    }

    /// <summary>Invokes a non-HTTP function with a host-shaped payload; returns the status and the body.</summary>
    public async Task<(int Status, string Body)> InvokeAsync(string functionName, JsonObject payload, CancellationToken cancellationToken)
    {
        using var client = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "/" + functionName))
        {
            Content = JsonContent.Create(payload),
        };
        request.Headers.Add(Host.FunctionInvocation.InvocationIdHeader, Guid.NewGuid().ToString());
        if (configuration[Configuration.LocalApiKey.SettingName] is { Length: > 0 } apiKey)
        {
            request.Headers.Add(Configuration.LocalApiKey.HeaderName, apiKey);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
