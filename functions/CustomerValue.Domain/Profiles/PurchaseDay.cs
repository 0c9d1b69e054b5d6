using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerValue.Domain.Profiles;

/// <summary>
/// What one person's orders add up to on one calendar day (UTC): the models' unit of time, since several purchases on
/// one day are one purchase occasion to them. Stored as a compact array, <c>[yyyymmdd, purchases, sales, positive,
/// negative]</c>, about 25 bytes a day, so a profile that buys every day for years stays far below the store's limits.
/// </summary>
/// <param name="Date">The UTC calendar day.</param>
/// <param name="Purchases">Purchases placed that day (sales not cancelled).</param>
/// <param name="Sales">Transactions of the day worth zero or more (net of their refunds), as the models count sales.</param>
/// <param name="Positive">Sum of those transactions' net values.</param>
/// <param name="Negative">Sum of the transactions worth less than zero (standalone returns, over-refunded orders).</param>
[JsonConverter(typeof(PurchaseDayJsonConverter))]
public sealed record PurchaseDay(DateOnly Date, int Purchases, int Sales, decimal Positive, decimal Negative)
{
    /// <summary>Net value of the day's transactions.</summary>
    public decimal Net => Positive + Negative;

    /// <summary>True when nothing is left on the day.</summary>
    public bool IsEmpty => Purchases == 0 && Sales == 0 && Positive == 0m && Negative == 0m;
}

/// <summary>Reads and writes <see cref="PurchaseDay"/> as <c>[yyyymmdd, purchases, sales, positive, negative]</c>.</summary>
public sealed class PurchaseDayJsonConverter : JsonConverter<PurchaseDay>
{
    /// <inheritdoc/>
    public override PurchaseDay Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A purchase day is an array [yyyymmdd, purchases, sales, positive, negative].");
        }

        reader.Read();
        var date = reader.GetInt32();
        reader.Read();
        var purchases = reader.GetInt32();
        reader.Read();
        var sales = reader.GetInt32();
        reader.Read();
        var positive = reader.GetDecimal();
        reader.Read();
        var negative = reader.GetDecimal();
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("A purchase day has five values.");
        }

        return new PurchaseDay(new DateOnly(date / 10000, date / 100 % 100, date % 100), purchases, sales, positive, negative);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, PurchaseDay value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        writer.WriteNumberValue(int.Parse(value.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        writer.WriteNumberValue(value.Purchases);
        writer.WriteNumberValue(value.Sales);
        writer.WriteNumberValue(value.Positive);
        writer.WriteNumberValue(value.Negative);
        writer.WriteEndArray();
    }
}
