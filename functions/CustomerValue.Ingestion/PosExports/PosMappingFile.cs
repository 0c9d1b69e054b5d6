using System.Text.Json;
using CustomerValue.Domain.Profiles;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>
/// A layout a user writes as JSON for any other export. Every key is optional except <c>columns.transactionId</c>,
/// <c>columns.timestamp</c> (or <c>columns.date</c>) and the amount columns; a column may be a name or a list of
/// alternatives. Unknown keys are errors, so a typo is reported instead of silently ignored.
/// <code>
/// {
///   "name": "online-retail", "encoding": "windows-1252",
///   "delimiter": ",", "decimalSeparator": ".", "groupSeparators": ",",
///   "timestampFormats": ["M/d/yyyy H:mm"], "timeZone": "Europe/London",
///   "currency": "GBP", "storeId": "uk", "channel": "store",
///   "amount": "quantityTimesUnitPrice", "amountDecimals": 2,
///   "columns": { "transactionId": "InvoiceNo", "timestamp": "InvoiceDate", "customerId": "CustomerID",
///                "quantity": "Quantity", "unitPrice": "UnitPrice", "phone": ["Phone", "Mobile"] },
///   "returns": { "idPrefix": "C", "negativeTotal": true, "typeValues": ["return"], "saleValues": ["sale"] },
///   "orderKeyTemplate": "pos:{store}:tx:{id}", "customerKeyTemplate": "pos:{store}:{id}",
///   "returnsReuseSaleId": false, "skipRowsWithoutTotal": false
/// }
/// </code>
/// </summary>
public static class PosMappingFile
{
    private static readonly string[] ColumnKeys =
    [
        "transactionId", "timestamp", "date", "time", "timeZone", "total", "quantity", "unitPrice", "type", "currency",
        "storeId", "channel", "customerId", "email", "phone", "firstName", "lastName", "fullName", "loyaltyId",
        "discounts", "tax", "shipping", "refunded", "cancelledAt",
    ];

    /// <summary>Reads a mapping; throws <see cref="FormatException"/> naming the key at fault.</summary>
    public static PosLayout Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"POS mapping: malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("POS mapping: the file must hold one JSON object.");
            }

            var layout = new PosLayout { Name = "custom", Columns = ReadColumns(root) };
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                layout = property.Name switch
                {
                    "name" => layout with { Name = Text(value, "name") },
                    "encoding" => layout with { Encoding = EncodingName(value) },
                    "delimiter" => layout with { Delimiter = Char(value, "delimiter") },
                    "decimalSeparator" => layout with { DecimalSeparator = Char(value, "decimalSeparator") },
                    "groupSeparators" => layout with { GroupSeparators = GroupSeparators(value) },
                    "timestampFormats" => layout with { TimestampFormats = Names(value, "timestampFormats") },
                    "timeZone" => layout with { TimeZone = Text(value, "timeZone") },
                    "currency" => layout with { Currency = Text(value, "currency").ToUpperInvariant() },
                    "storeId" => layout with { StoreId = Text(value, "storeId") },
                    "channel" => layout with { Channel = Enum<SalesChannel>(value, "channel") },
                    "amount" => layout with { Amount = Enum<PosAmountRule>(value, "amount") },
                    "amountDecimals" => layout with { AmountDecimals = value.TryGetInt32(out var d) && d is >= 0 and <= 8 ? d : throw Error("amountDecimals", "a whole number from 0 to 8") },
                    "returns" => layout with { Returns = ReadReturns(value) },
                    "orderKeyTemplate" => layout with { OrderKeyTemplate = Template(value, "orderKeyTemplate") },
                    "customerKeyTemplate" => layout with { CustomerKeyTemplate = Template(value, "customerKeyTemplate") },
                    "source" => layout with { Source = Text(value, "source") },
                    "returnsReuseSaleId" => layout with { ReturnsReuseSaleId = Bool(value, "returnsReuseSaleId") },
                    "skipRowsWithoutTotal" => layout with { SkipRowsWithoutTotal = Bool(value, "skipRowsWithoutTotal") },
                    "columns" or "$schema" => layout,
                    _ => throw new FormatException($"POS mapping: unknown key '{property.Name}'."),
                };
            }

            return layout;
        }
    }

    /// <summary>Reads a mapping file from a stream (UTF-8).</summary>
    public static async Task<PosLayout> LoadAsync(Stream json, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(json, leaveOpen: true);
        return Parse(await reader.ReadToEndAsync(cancellationToken));
    }

    private static PosColumns ReadColumns(JsonElement root)
    {
        if (!root.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("POS mapping: the object 'columns' is required.");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in columns.EnumerateObject())
        {
            if (!ColumnKeys.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new FormatException($"POS mapping: unknown key 'columns.{property.Name}'; known: {string.Join(", ", ColumnKeys)}.");
            }

            map[property.Name] = string.Join('|', Names(property.Value, $"columns.{property.Name}"));
        }

        string? Get(string key) => map.GetValueOrDefault(key);
        return new PosColumns
        {
            TransactionId = Get("transactionId"), Timestamp = Get("timestamp"), Date = Get("date"), Time = Get("time"),
            TimeZone = Get("timeZone"), Total = Get("total"), Quantity = Get("quantity"), UnitPrice = Get("unitPrice"),
            Type = Get("type"), Currency = Get("currency"), StoreId = Get("storeId"), Channel = Get("channel"),
            CustomerId = Get("customerId"), Email = Get("email"), Phone = Get("phone"), FirstName = Get("firstName"),
            LastName = Get("lastName"), FullName = Get("fullName"), LoyaltyId = Get("loyaltyId"), Discounts = Get("discounts"),
            Tax = Get("tax"), Shipping = Get("shipping"), Refunded = Get("refunded"), CancelledAt = Get("cancelledAt"),
        };
    }

    private static PosReturnRule ReadReturns(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error("returns", "an object");
        }

        var rule = new PosReturnRule();
        foreach (var property in value.EnumerateObject())
        {
            rule = property.Name switch
            {
                "typeValues" => rule with { TypeValues = Names(property.Value, "returns.typeValues") },
                "saleValues" => rule with { SaleValues = Names(property.Value, "returns.saleValues") },
                "negativeTotal" => rule with { NegativeTotal = Bool(property.Value, "returns.negativeTotal") },
                "idPrefix" => rule with { IdPrefix = Text(property.Value, "returns.idPrefix") },
                _ => throw new FormatException($"POS mapping: unknown key 'returns.{property.Name}'."),
            };
        }

        return rule;
    }

    private static string Text(JsonElement value, string key) =>
        value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : throw Error(key, "a non-empty string");

    private static IReadOnlyList<string> Names(JsonElement value, string key) => value.ValueKind switch
    {
        JsonValueKind.String => [Text(value, key)],
        JsonValueKind.Array => [.. value.EnumerateArray().Select(v => Text(v, key))],
        _ => throw Error(key, "a string or a list of strings"),
    };

    private static char Char(JsonElement value, string key)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text switch
        {
            "tab" or "\t" => '\t',
            { Length: 1 } => text[0],
            _ => throw Error(key, "one character (or \"tab\")"),
        };
    }

    private static string EncodingName(JsonElement value)
    {
        var name = value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : null;
        return name is { Length: > 0 } && PosEncodings.Find(name) is not null
            ? name
            : throw Error("encoding", "the name of a character encoding, e.g. utf-8, windows-1252 or iso-8859-15");
    }

    // "" means amounts are never grouped; otherwise every character is one allowed separator (" " is a space).
    private static string GroupSeparators(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text is not null && text.All(c => PosAmounts.GroupCandidates.Contains(c))
            ? text
            : throw Error("groupSeparators", $"a string of the characters {string.Join(" ", PosAmounts.GroupCandidates.Select(c => char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString()))} (\"\" for none)");
    }

    private static bool Bool(JsonElement value, string key) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error(key, "true or false"),
    };

    private static T Enum<T>(JsonElement value, string key)
        where T : struct, Enum =>
        value.ValueKind == JsonValueKind.String && System.Enum.TryParse<T>(value.GetString(), ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw Error(key, string.Join(" or ", System.Enum.GetNames<T>()));

    private static string Template(JsonElement value, string key)
    {
        var text = Text(value, key);
        return text.Contains("{id}", StringComparison.Ordinal) ? text : throw Error(key, "a template containing {id}");
    }

    private static FormatException Error(string key, string expected) => new($"POS mapping: '{key}' must be {expected}.");
}
