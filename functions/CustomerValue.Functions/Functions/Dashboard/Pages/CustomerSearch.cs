using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Normalization;
using CustomerValue.Identity.Profiles;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>
/// One search box for a customer: an e-mail address, a phone number, a profile id or a source customer id. Each is
/// looked up exactly as <c>GET api/profiles/{id}</c> and <c>GET api/profiles?email=|phone=|sourceId=</c> look it up
/// (the same <see cref="ProfileQueries"/> and normalization), so the page finds whom the API finds.
/// </summary>
public sealed class CustomerSearch(ProfileQueries profiles, IdentityNormalizer normalizer)
{
    /// <summary>The live profile the text names, or why it names none.</summary>
    public async Task<(CustomerProfile? Profile, string? Problem)> FindAsync(string text, CancellationToken cancellationToken)
    {
        var query = text?.Trim() ?? "";
        if (query.Length is 0 or > 255)
        {
            return (null, "Type an e-mail address, a phone number, a profile id or a source customer id (at most 255 characters).");
        }

        if (query.Contains('@', StringComparison.Ordinal))
        {
            return IdentityNormalizer.NormalizeEmail(query) is { } email
                ? (Live(await profiles.FindByIdentityAsync(new IdentityKey(IdentityKind.Email, email), cancellationToken)), null)
                : (null, "That is not an e-mail address.");
        }

        if (query.StartsWith("cp-", StringComparison.Ordinal))
        {
            return (Live(await profiles.FindAsync(query, cancellationToken)), null);
        }

        if (query.All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.') && normalizer.NormalizePhone(query) is { } phone)
        {
            return (Live(await profiles.FindByIdentityAsync(new IdentityKey(IdentityKind.Phone, phone), cancellationToken)), null);
        }

        return (Live(await profiles.FindByIdentityAsync(new IdentityKey(IdentityKind.SourceCustomer, query), cancellationToken)), null);
    }

    private static CustomerProfile? Live(Storage.Documents.StoredDocument<CustomerProfile>? document) =>
        document?.Body is { IsErased: false } profile ? profile : null;
}
