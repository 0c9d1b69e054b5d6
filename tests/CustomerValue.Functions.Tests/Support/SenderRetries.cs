using System.Net;
using System.Text.Json;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests.Support;

/// <summary>
/// What the fault-injection tests share: retrying a request as its sender would (a shop re-sends a webhook that was
/// not answered 2xx; the Functions host re-runs a failed invocation) and comparing the end state of two servers.
/// </summary>
public static class SenderRetries
{
    /// <summary>How often a request is sent before the test gives up.</summary>
    public const int MaxAttempts = 40;

    /// <summary>
    /// Sends until 2xx, as the sender would; every failure must be <paramref name="failure"/> (a 4xx would be a wrong
    /// answer to a correct request; a webhook's 503 must say when to retry). Returns the retries.
    /// </summary>
    public static async Task<int> UntilOkAsync(Func<Task<HttpResponseMessage>> send, string what, HttpStatusCode failure)
    {
        ArgumentNullException.ThrowIfNull(send);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            using var response = await send();
            if (response.IsSuccessStatusCode)
            {
                return attempt;
            }

            Assert.True(response.StatusCode == failure, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.True(failure != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter is not null, $"{what}: 503 without Retry-After");
        }

        Assert.Fail($"{what} failed {MaxAttempts} times");
        return MaxAttempts;
    }

    /// <summary>Asserts that the profile found by each e-mail has the same totals and segments on both servers.</summary>
    public static async Task AssertSameProfilesAsync(RunningServer clean, RunningServer faulty, IEnumerable<string> emails)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(faulty);
        ArgumentNullException.ThrowIfNull(emails);
        foreach (string email in emails.Distinct(StringComparer.Ordinal))
        {
            var expected = await SingleAsync(clean.Client, "email", email);
            var actual = await SingleAsync(faulty.Client, "email", email);
            foreach (string field in new[] { "orders", "grossRevenue", "refunds", "netRevenue" })
            {
                Assert.True(expected.GetProperty(field).ToString() == actual.GetProperty(field).ToString(), $"{email} {field}: clean {expected.GetProperty(field)}, faulty {actual.GetProperty(field)}");
            }

            Assert.Equal(Segments(expected), Segments(actual));
        }
    }

    /// <summary>The profile's segments, sorted.</summary>
    public static string[] Segments(JsonElement profile) =>
        profile.TryGetProperty("segments", out var segments) ? [.. segments.EnumerateArray().Select(s => s.GetString()!).Order()] : [];

    /// <summary>The number of profiles in a segment summed over the latest run's segments.</summary>
    public static async Task<int> ProfileCountAsync(RunningServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var response = await server.Client.GetAsync("/api/segments");
        var sizes = JsonDocument.Parse(await AssertOkAsync(response)).RootElement;
        return sizes.EnumerateArray().Sum(s => s.GetProperty("size").GetInt32());
    }
}
