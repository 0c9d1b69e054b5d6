using System.Text.Json;
using CustomerValue.Publishing.Delivery;

namespace CustomerValue.Publishing.Platforms.Google;

/// <summary>
/// OAuth 2.0 access tokens for the Data Manager API from a refresh token (<c>grant_type=refresh_token</c> at
/// <c>TokenUrl</c> with <c>ClientId</c>/<c>ClientSecret</c>), cached until a minute before they expire.
/// </summary>
public sealed class GoogleAccessTokens(HttpClient http, Uri tokenUrl, string clientId, string clientSecret, string refreshToken, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expiresAt;

    /// <summary>A valid access token.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && clock.GetUtcNow() < _expiresAt)
            {
                return _token;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token",
                    ["client_id"] = clientId,
                    ["client_secret"] = clientSecret,
                    ["refresh_token"] = refreshToken,
                }),
            };
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await HttpAnswers.EnsureSuccessAsync(response, "Google OAuth token endpoint", cancellationToken);
            using var json = JsonDocument.Parse(body);
            _token = json.RootElement.GetProperty("access_token").GetString();
            var seconds = json.RootElement.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 3600;
            _expiresAt = clock.GetUtcNow().AddSeconds(Math.Max(0, seconds - 60));
            return _token!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token (the API said 401).</summary>
    public void Invalidate() => _token = null;

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
