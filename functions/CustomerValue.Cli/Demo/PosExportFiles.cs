using System.Globalization;
using System.Text;

namespace CustomerValue.Cli.Demo;

/// <summary>
/// Writes the stores' sales as POS exports in the generic layout (see the README): one file per store and year.
/// Store staff type contact data differently from the web shop — upper case, spaces, national phone formats —
/// and some customers give only a phone number or a loyalty card; walk-in customers who give nothing appear as
/// anonymous sales. Returns are rows of type <c>return</c>.
/// </summary>
public static class PosExportFiles
{
    /// <summary>The generic layout's header.</summary>
    public const string Header = "transaction_id,timestamp,type,total,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id";

    /// <summary>Writes the files into <paramref name="inbox"/> (via temporary names, so the watcher never reads half a file).</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<DemoPerson> people, string inbox, DateTimeOffset end, int seed)
    {
        ArgumentNullException.ThrowIfNull(people);
        var random = new Random(seed + 7);
        var rows = new List<(string Store, DateTimeOffset At, string Line)>();
        var transaction = 100_000;
        foreach (var person in people)
        {
            foreach (var purchase in person.Purchases.Where(p => p.InStore))
            {
                var id = $"T{transaction++}";
                rows.Add((person.HomeStore, purchase.At, Row(id, purchase.At, "sale", purchase.Amount, person, random)));
                if (purchase.Returned > 0m)
                {
                    rows.Add((person.HomeStore, purchase.ReturnedAt, Row($"R{transaction++}", purchase.ReturnedAt, "return", decimal.Round(purchase.Amount * purchase.Returned, 2), person, random)));
                }
            }
        }

        // Walk-in customers who gave no contact data.
        var anonymous = rows.Count / 6;
        for (var i = 0; i < anonymous; i++)
        {
            var store = DemoShopGenerator.Stores[random.Next(DemoShopGenerator.Stores.Count)];
            var at = end.AddDays(-random.Next(1, 700)).AddHours(random.Next(-8, 4));
            rows.Add((store, at, string.Join(',', $"W{transaction++}", Iso(at), "sale", Money(5m + (decimal)random.Next(100, 9000) / 100m), "USD", store, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty)));
        }

        var files = new List<string>();
        foreach (var group in rows.GroupBy(r => (r.Store, r.At.Year)).OrderBy(g => g.Key.Store, StringComparer.Ordinal).ThenBy(g => g.Key.Year))
        {
            var name = $"{group.Key.Store}-{group.Key.Year}.csv";
            var path = Path.Combine(inbox, name);
            var text = new StringBuilder(Header).Append('\n');
            foreach (var row in group.OrderBy(r => r.At))
            {
                text.Append(row.Line).Append('\n');
            }

            File.WriteAllText(path + ".tmp", text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            File.Move(path + ".tmp", path, overwrite: true);
            files.Add(name);
        }

        return files;
    }

    private static string Row(string id, DateTimeOffset at, string type, decimal total, DemoPerson person, Random random)
    {
        var storeOnly = person.Habit == ShoppingHabit.StoreOnly;
        // Omnichannel customers give the till the same e-mail, typed differently, or only their phone.
        var giveEmail = storeOnly ? random.NextDouble() < 0.6 : random.NextDouble() < 0.55;
        var givePhone = !giveEmail || random.NextDouble() < 0.3;
        var email = giveEmail ? Retyped(person.Email, random) : string.Empty;
        var phone = givePhone ? NationalFormat(person.Phone, random) : string.Empty;
        return string.Join(',',
            id, Iso(at), type, Money(total), "USD", person.HomeStore,
            $"C{person.Index}", email, Quote(phone), person.FirstName, person.LastName, person.LoyaltyId ?? string.Empty);
    }

    private static string Retyped(string email, Random random) => random.Next(3) switch
    {
        0 => email.ToUpperInvariant(),
        1 => " " + char.ToUpperInvariant(email[0]) + email[1..] + " ",
        _ => email,
    };

    private static string NationalFormat(string e164, Random random)
    {
        var digits = e164[2..];
        return random.Next(3) switch
        {
            0 => $"({digits[..3]}) {digits[3..6]}-{digits[6..]}",
            1 => $"{digits[..3]}.{digits[3..6]}.{digits[6..]}",
            _ => $"+1 {digits[..3]} {digits[3..6]} {digits[6..]}",
        };
    }

    private static string Quote(string value) => value.Contains(',', StringComparison.Ordinal) ? $"\"{value}\"" : value;

    private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
