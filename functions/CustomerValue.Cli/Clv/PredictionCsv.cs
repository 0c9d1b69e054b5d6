using System.Globalization;
using System.Text;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// Writes the rows of <c>clv predict</c> (<c>id,expected_purchases,p_alive,expected_spend,clv,expected_next_order</c>)
/// as UTF-8 bytes. The columns that depend on the history (x, t_x, T) alone are formatted once per distinct history;
/// for customers without repeat purchases (two thirds of a typical base) the spend is the population mean, so their
/// whole row after the id is formatted once per history too. Only repeat buyers' money is formatted per customer.
/// Rows are built in parallel chunks and written in order. Money has two decimals (<see cref="MoneyText"/>, "F2").
/// </summary>
internal static class PredictionCsv
{
    private const int CustomersPerChunk = 1 << 15;
    private const int MaxNumberBytes = MoneyText.MaxBytes;

    /// <summary>
    /// Writes one row per customer to <paramref name="write"/> and returns the sums (in customer order, as the summary
    /// line has always added them) of the expected purchases and, when <paramref name="spend"/> is given, of the CLV.
    /// </summary>
    public static (double Purchases, double Clv) WriteRows(
        CustomerTable customers, HistoryScores scored, GammaGammaParameters? spend, double margin, Func<double, string> nextOrder, Action<ReadOnlySpan<byte>> write)
    {
        var tails = Tails(scored.Histories, spend, margin, nextOrder);
        var clv = new double[customers.Count];
        int chunks = (customers.Count + CustomersPerChunk - 1) / CustomersPerChunk;
        var output = new (byte[] Bytes, int Length)[chunks];
        Parallel.For(0, chunks, c =>
        {
            int from = c * CustomersPerChunk, to = Math.Min(customers.Count, from + CustomersPerChunk);
            var buffer = new Buffer(48 * (to - from));
            for (int i = from; i < to; i++)
            {
                int k = scored.HistoryOf[i];
                var row = customers.Rows[i];
                buffer.Append(customers.IdField(i));
                buffer.Append((byte)',');
                var tail = tails[k];
                if (tail.Complete)
                {
                    buffer.Append(tail.Head);
                    clv[i] = tail.Clv;
                    continue;
                }

                double perPurchase = spend!.ExpectedAverageSpend(row.Frequency, row.MonetaryValue);
                clv[i] = margin * perPurchase * scored.Histories[k].DiscountedPurchases;
                buffer.Append(tail.Head);
                buffer.AppendMoney(perPurchase);
                buffer.Append((byte)',');
                buffer.AppendMoney(clv[i]);
                buffer.Append(tail.Next);
            }

            output[c] = (buffer.Bytes, buffer.Length);
        });

        foreach (var (bytes, length) in output)
        {
            write(bytes.AsSpan(0, length));
        }

        double purchases = 0, total = 0;
        for (int i = 0; i < clv.Length; i++)
        {
            purchases += scored.Histories[scored.HistoryOf[i]].ExpectedPurchases;
            total += spend is null ? 0 : clv[i];
        }

        return (purchases, total);
    }

    /// <summary>
    /// Per history: the text after the id up to the spend, and from the CLV on; or, when the spend does not depend on
    /// the customer (no repeat purchase, or no spend model), the whole rest of the row in <see cref="Tail.Head"/>.
    /// </summary>
    private static Tail[] Tails(HistoryScore[] histories, GammaGammaParameters? spend, double margin, Func<double, string> nextOrder)
    {
        var c = CultureInfo.InvariantCulture;
        var tails = new Tail[histories.Length];
        Parallel.For(0, histories.Length, () => new Buffer(256), (k, _, buffer) =>
        {
            var h = histories[k];
            buffer.Length = 0;
            buffer.AppendNumber(h.ExpectedPurchases, "0.######");
            buffer.Append((byte)',');
            buffer.AppendNumber(Math.Clamp(h.ProbabilityAlive, 0, 1), "0.######");
            buffer.Append((byte)',');
            byte[] next = NextColumn(nextOrder, h.TimeToNextPurchase);
            bool complete = spend is null || h.Frequency <= 0;
            double clv = 0;
            if (complete)
            {
                if (spend is not null)
                {
                    double perPurchase = spend.ExpectedAverageSpend(h.Frequency, 0);
                    clv = margin * perPurchase * h.DiscountedPurchases;
                    buffer.AppendMoney(perPurchase);
                    buffer.Append((byte)',');
                    buffer.AppendMoney(clv);
                }
                else
                {
                    buffer.Append((byte)',');
                }

                buffer.Append(next);
            }

            tails[k] = new Tail(buffer.Bytes.AsSpan(0, buffer.Length).ToArray(), next, complete, clv);
            return buffer;
        }, _ => { });
        return tails;
    }

    /// <summary>",next\n": the last column and the line end.</summary>
    private static byte[] NextColumn(Func<double, string> nextOrder, double time)
    {
        string text = nextOrder(time);
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 2];
        bytes[0] = (byte)',';
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(1));
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private sealed record Tail(byte[] Head, byte[] Next, bool Complete, double Clv);

    /// <summary>A growing UTF-8 buffer with number formatting straight into it (no string per value).</summary>
    private sealed class Buffer(int capacity)
    {
        public byte[] Bytes { get; private set; } = new byte[Math.Max(capacity, 1024)];

        public int Length { get; set; }

        public void Append(byte value)
        {
            Reserve(1);
            Bytes[Length++] = value;
        }

        public void Append(ReadOnlySpan<byte> value)
        {
            Reserve(value.Length);
            value.CopyTo(Bytes.AsSpan(Length));
            Length += value.Length;
        }

        public void AppendMoney(double value)
        {
            Reserve(MaxNumberBytes);
            MoneyText.TryFormat(value, Bytes.AsSpan(Length), out int written);
            Length += written;
        }

        public void AppendNumber(double value, string format)
        {
            Reserve(MaxNumberBytes);
            if (!value.TryFormat(Bytes.AsSpan(Length), out int written, format, CultureInfo.InvariantCulture))
            {
                Append(Encoding.UTF8.GetBytes(value.ToString(format, CultureInfo.InvariantCulture)));
                return;
            }

            Length += written;
        }

        private void Reserve(int count)
        {
            if (Length + count > Bytes.Length)
            {
                var larger = Bytes;
                Array.Resize(ref larger, Math.Max(2 * Bytes.Length, Length + count));
                Bytes = larger;
            }
        }
    }
}
