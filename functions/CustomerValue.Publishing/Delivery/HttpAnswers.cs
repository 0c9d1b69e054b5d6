using System.Text.RegularExpressions;
using CustomerValue.Publishing.Destinations;

namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// Turns a platform's non-success answer into a <see cref="DestinationException"/> that names it, never a person:
/// an error body can echo what it refused (Klaviyo names an invalid address), so addresses and phone-like digit runs
/// are masked before the message reaches a log, the state document or a dead letter.
/// </summary>
public static partial class HttpAnswers
{
    /// <summary>The longest part of an error body kept in the message.</summary>
    public const int MaxBodyCharacters = 300;

    /// <summary>Throws when <paramref name="response"/> is not a success; returns its body otherwise.</summary>
    public static async Task<string> EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        var status = (int)response.StatusCode;
        var masked = Mask(body);
        var excerpt = masked.Length > MaxBodyCharacters ? masked[..MaxBodyCharacters] + "…" : masked;
        throw new DestinationException($"{what} answered {status} {response.ReasonPhrase}: {excerpt}", status);
    }

    /// <summary>Masks e-mail addresses and runs of seven or more digits (with separators) in <paramref name="text"/>.</summary>
    public static string Mask(string text) => PhoneLike().Replace(EmailLike().Replace(text, "[email]"), "[number]");

    [GeneratedRegex(@"[^\s""'<>@,;:]+@[^\s""'<>@,;:]+")]
    private static partial Regex EmailLike();

    [GeneratedRegex(@"\+?\d[\d \-().]{5,}\d")]
    private static partial Regex PhoneLike();
}
