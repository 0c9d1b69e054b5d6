using System.Diagnostics;
using System.Globalization;
using System.Text;
using CustomerValue.Cli.Demo;

namespace CustomerValue.Benchmarks;

/// <summary>What <see cref="SyntheticPosExport.Write"/> wrote: the truth an import of the file must reproduce.</summary>
/// <param name="Rows">Data rows (the header not counted).</param>
/// <param name="Bytes">File size.</param>
/// <param name="Customers">Size of the customer base the rows were drawn from.</param>
/// <param name="CustomersSeen">Customers named by at least one row.</param>
/// <param name="Identified">Readable rows that name a customer (sales and returns).</param>
/// <param name="Anonymous">Readable rows of walk-in customers who gave nothing.</param>
/// <param name="Returns">Readable rows of type <c>return</c> (identified or anonymous).</param>
/// <param name="Bad">Rows with an unreadable total or timestamp, which an import must quarantine.</param>
/// <param name="Elapsed">Time taken to write the file.</param>
public sealed record SyntheticPosExportSummary(long Rows, long Bytes, int Customers, int CustomersSeen, long Identified, long Anonymous, long Returns, long Bad, TimeSpan Elapsed);

/// <summary>
/// A POS export in the generic layout (<see cref="PosExportFiles.Header"/>) that looks like a few stores' tills over two
/// years: a customer base with Zipf-like repeat purchases, identifiers given inconsistently (customer account, e-mail
/// typed in other cases or with spaces, phone in national or international formats, loyalty card), about 15 %
/// anonymous walk-ins, 4 % returns and 0.1 % unreadable rows. Written row by row, so a 4 GB file needs no more memory
/// than a small one; deterministic for a seed.
/// </summary>
public static class SyntheticPosExport
{
    /// <summary>Share of rows from walk-in customers who give no identifier.</summary>
    public const double AnonymousShare = 0.15;

    /// <summary>Share of rows that are returns.</summary>
    public const double ReturnShare = 0.04;

    /// <summary>Share of rows with an unreadable total or timestamp.</summary>
    public const double BadShare = 0.001;

    /// <summary>The stores whose tills the rows come from.</summary>
    public static IReadOnlyList<string> Stores { get; } = ["store-nyc", "store-sf", "store-chicago", "store-austin", "store-seattle", "store-boston"];

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly DateTime Start = new(2023, 10, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Span = TimeSpan.FromDays(730);
    private static readonly string[] FirstNames = ["Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sophia", "Lucas", "Mia", "Ethan", "Amelia", "James", "Harper", "Leo", "Chloe", "Aiden", "Zoe", "Elijah", "Nora", "Kai", "Maya", "Omar", "Priya", "Hiro", "Lena", "Diego", "Fatima", "Jonas", "Aria", "Samir"];
    private static readonly string[] LastNames = ["Smith", "Johnson", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson", "Thomas", "Lee", "Walker", "Young", "King", "Wright", "Nguyen", "Patel", "Kim", "Chen", "Rossi", "Novak", "Schmidt", "Okafor", "Silva", "Cohen", "Haddad", "O'Brien"];
    private static readonly string[] Domains = ["example.com", "example.org", "example.net", "mail.example.com"];
    private static readonly string[] AreaCodes = ["212", "415", "312", "617", "206", "512", "303", "718", "646", "773"];
    private static readonly string[] BadTotals = ["N/A", "12.34.56", "#VALUE!"];
    private static readonly string[] BadTimestamps = ["2024-02-30T10:00:00Z", "31/12/2024 14:05", "yesterday"];

    /// <summary>The customer base for <paramref name="rows"/> rows when none is given: about eight rows per customer.</summary>
    public static int DefaultCustomers(long rows) => (int)Math.Clamp(rows / 8, 1, int.MaxValue);

    /// <summary>
    /// How many rows make a file of about <paramref name="bytes"/> bytes, from a sample of rows generated in memory
    /// (twice: the customer base, and with it the width of ids and e-mails, depends on the row count).
    /// </summary>
    public static long EstimateRows(long bytes, int? customers, int seed)
    {
        var rows = Math.Max(1, bytes / 120);
        for (var round = 0; round < 2; round++)
        {
            var sample = (int)Math.Min(rows, 20_000);
            var generator = new RowGenerator(rows, customers ?? DefaultCustomers(rows), seed);
            var line = new StringBuilder(256);
            long chars = 0;
            for (long i = 0; i < sample; i++)
            {
                chars += generator.Next(i, line) + 1;
            }

            rows = Math.Max(1, (long)Math.Round((bytes - PosExportFiles.Header.Length - 1) / ((double)chars / sample)));
        }

        return rows;
    }

    /// <summary>Writes <paramref name="rows"/> rows to <paramref name="path"/> (via a temporary name, so nothing ever reads half a file).</summary>
    public static SyntheticPosExportSummary Write(string path, long rows, int customers, int seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(customers);
        var clock = Stopwatch.StartNew();
        var generator = new RowGenerator(rows, customers, seed);
        var line = new StringBuilder(256);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16))
        {
            writer.Write(PosExportFiles.Header);
            writer.Write('\n');
            for (long i = 0; i < rows; i++)
            {
                generator.Next(i, line);
                writer.Write(line);
                writer.Write('\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
        return new SyntheticPosExportSummary(rows, new FileInfo(path).Length, customers, generator.CustomersSeen,
            generator.Identified, generator.Anonymous, generator.Returns, generator.Bad, clock.Elapsed);
    }

    /// <summary>
    /// Produces the rows. Everything about a customer (name, contact data, home store, loyalty card, habits) is derived
    /// from a hash of the seed and the customer's number rather than kept in a table, so a million customers cost nothing;
    /// what varies from visit to visit comes from one sequential <see cref="Random"/>.
    /// </summary>
    private sealed class RowGenerator
    {
        private readonly long _rows;
        private readonly int _customers;
        private readonly ulong _seed;
        private readonly Random _random;
        private readonly bool[] _seen;

        // Density proportional to 1 / (rank + k): the best customers buy a few hundred times, the long tail once or not at all.
        private readonly double _zipfOffset;

        public RowGenerator(long rows, int customers, int seed)
        {
            _rows = rows;
            _customers = customers;
            _seed = (uint)seed;
            _random = new Random(seed);
            _seen = new bool[customers];
            _zipfOffset = Math.Max(1.0, customers / 200.0);
        }

        public int CustomersSeen { get; private set; }

        public long Identified { get; private set; }

        public long Anonymous { get; private set; }

        public long Returns { get; private set; }

        public long Bad { get; private set; }

        /// <summary>Writes row <paramref name="index"/> (0-based) into <paramref name="line"/>; returns its length.</summary>
        public int Next(long index, StringBuilder line)
        {
            line.Clear();
            var random = _random;
            var isReturn = random.NextDouble() < ReturnShare;
            var anonymous = random.NextDouble() < AnonymousShare;
            var badColumn = random.NextDouble() < BadShare ? 1 + random.Next(2) : 0;

            // Rows keep the time order of the tills only roughly: stores export at different times of the day.
            var at = Start + (Span * ((index + 0.5) / _rows)) + TimeSpan.FromMinutes(random.Next(-90, 91));
            var timestamp = badColumn == 2 ? BadTimestamps[random.Next(BadTimestamps.Length)] : at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", C);
            var amount = isReturn ? Amount(random) * (decimal)(0.2 + (random.NextDouble() * 0.8)) : Amount(random);
            var total = badColumn == 1 ? BadTotals[random.Next(BadTotals.Length)] : amount.ToString("0.00", C);

            line.Append(C, $"{(isReturn ? 'R' : 'T')}{10_000_000 + index},{timestamp},{(isReturn ? "return" : "sale")},{total},USD,");
            if (anonymous)
            {
                line.Append(Stores[random.Next(Stores.Count)]).Append(",,,,,,");
            }
            else
            {
                AppendCustomer(line, PickCustomer(random), random);
            }

            if (badColumn != 0)
            {
                Bad++;
            }
            else if (anonymous)
            {
                Anonymous++;
            }
            else
            {
                Identified++;
            }

            if (isReturn && badColumn == 0)
            {
                Returns++;
            }

            return line.Length;
        }

        private int PickCustomer(Random random)
        {
            var rank = (int)((_zipfOffset * Math.Pow((_customers + _zipfOffset) / _zipfOffset, random.NextDouble())) - _zipfOffset);
            rank = Math.Clamp(rank, 0, _customers - 1);
            if (!_seen[rank])
            {
                _seen[rank] = true;
                CustomersSeen++;
            }

            return rank;
        }

        private void AppendCustomer(StringBuilder line, int customer, Random random)
        {
            var h = Hash(_seed, (ulong)customer);
            var first = FirstNames[(int)(h % (ulong)FirstNames.Length)];
            var last = LastNames[(int)((h >> 8) % (ulong)LastNames.Length)];
            var home = Stores[(int)((h >> 16) % (ulong)Stores.Count)];
            var hasLoyalty = ((h >> 20) & 0xF) < 6;
            var habit = (int)((h >> 24) & 3); // 0 gives an e-mail, 1 a phone number, 2 an account or card, 3 everything

            var atHome = random.NextDouble() < 0.9;
            var store = atHome ? home : Stores[random.Next(Stores.Count)];

            // A store's customer ids belong to its own till system: elsewhere the customer is found by contact data.
            var giveAccount = store == home && random.NextDouble() < (habit is 2 or 3 ? 0.8 : 0.3);
            var giveEmail = random.NextDouble() < (habit is 0 or 3 ? 0.85 : 0.25);
            var givePhone = random.NextDouble() < (habit is 1 or 3 ? 0.85 : 0.2);
            var giveLoyalty = hasLoyalty && random.NextDouble() < (habit is 2 or 3 ? 0.8 : 0.4);
            if (!giveAccount && !giveEmail && !givePhone && !giveLoyalty)
            {
                giveEmail = true;
            }

            line.Append(store).Append(',');
            if (giveAccount)
            {
                line.Append(C, $"C{customer + 1:D7}");
            }

            line.Append(',');
            if (giveEmail)
            {
                AppendEmail(line, first, last, customer, Domains[(int)((h >> 28) % (ulong)Domains.Length)], random);
            }

            line.Append(',');
            if (givePhone)
            {
                AppendPhone(line, Hash(h, 1), random);
            }

            line.Append(',');
            if (random.NextDouble() < 0.75)
            {
                line.Append(first).Append(',');

                // Now and then a name with a comma, so quoted fields are exercised too.
                if (random.NextDouble() < 0.005)
                {
                    line.Append('"').Append(last).Append(", Jr.\"");
                }
                else
                {
                    line.Append(last);
                }
            }
            else
            {
                line.Append(',');
            }

            line.Append(',');
            if (giveLoyalty)
            {
                line.Append(C, $"L{20_000_000 + customer + 1}");
            }
        }

        /// <summary>The customer's one address, typed at the till as staff type it.</summary>
        private static void AppendEmail(StringBuilder line, string first, string last, int customer, string domain, Random random)
        {
            var address = string.Create(C, $"{first}.{last.Replace("'", "", StringComparison.Ordinal)}{customer + 1}@{domain}").ToLowerInvariant();
            var roll = random.NextDouble();
            if (roll < 0.70)
            {
                line.Append(address);
            }
            else if (roll < 0.82)
            {
                line.Append(address.ToUpperInvariant());
            }
            else if (roll < 0.92)
            {
                line.Append(' ').Append(char.ToUpperInvariant(address[0])).Append(address, 1, address.Length - 1).Append(' ');
            }
            else
            {
                line.Append(first).Append('.').Append(address, first.Length + 1, address.Length - first.Length - 1);
            }
        }

        /// <summary>The customer's US number (from its own hash <paramref name="h"/>) in one of the ways people write it.</summary>
        private static void AppendPhone(StringBuilder line, ulong h, Random random)
        {
            var area = AreaCodes[(int)(h % (ulong)AreaCodes.Length)];

            // A valid exchange: 200-999, not N11 and not 555 (fictional numbers are not valid for libphonenumber).
            // Some customers share a number (80 million combinations), as households do.
            var exchange = 200 + (int)((h >> 8) % 800);
            exchange = exchange % 100 == 11 || exchange == 555 ? exchange + 1 : exchange;
            var number = (int)((h >> 24) % 10_000);
            var roll = random.NextDouble();
            line.Append(roll switch
            {
                < 0.30 => string.Create(C, $"({area}) {exchange}-{number:D4}"),
                < 0.50 => string.Create(C, $"{area}-{exchange}-{number:D4}"),
                < 0.60 => string.Create(C, $"{area}.{exchange}.{number:D4}"),
                < 0.70 => string.Create(C, $"{area}{exchange}{number:D4}"),
                < 0.85 => string.Create(C, $"+1 {area} {exchange} {number:D4}"),
                _ => string.Create(C, $"+1{area}{exchange}{number:D4}"),
            });
        }

        /// <summary>Lognormal spend, median about $25, capped at $5,000.</summary>
        private static decimal Amount(Random random)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return decimal.Round((decimal)Math.Clamp(Math.Exp(3.2 + (0.9 * normal)), 1.0, 5_000.0), 2);
        }

        /// <summary>SplitMix64 of the two values: well spread bits, the same on every platform.</summary>
        private static ulong Hash(ulong a, ulong b)
        {
            var z = (a * 0x9E3779B97F4A7C15UL) + b + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
