using CustomerValue.Domain.Profiles;

namespace CustomerValue.Testing;

/// <summary>Builders for the inbound records the pipeline consumes.</summary>
public static class Records
{
    public static readonly DateTimeOffset Day0 = new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero);

    public static CustomerActivity Activity(
        string? email = null,
        string? phone = null,
        string? sourceId = null,
        string? loyaltyId = null,
        OrderRecord? order = null,
        string? firstName = null) => new()
        {
            Identities = new RawIdentities
            {
                Emails = email is null ? [] : [email],
                Phones = phone is null ? [] : [phone],
                SourceCustomerIds = sourceId is null ? [] : [sourceId],
                LoyaltyIds = loyaltyId is null ? [] : [loyaltyId],
            },
            FirstName = firstName,
            Order = order,
            OccurredAt = order?.VersionAt ?? Day0,
        };

    public static OrderRecord Order(string key, decimal gross, int day = 0, int version = 0, decimal refunded = 0m, bool cancelled = false) => new()
    {
        OrderKey = key,
        PlacedAt = Day0.AddDays(day),
        VersionAt = Day0.AddDays(day).AddMinutes(version),
        Gross = gross,
        Refunded = refunded,
        Cancelled = cancelled,
    };
}
