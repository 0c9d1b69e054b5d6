using System.Globalization;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// Money with two decimals, byte for byte what <c>value.ToString("F2", InvariantCulture)</c> gives, several times
/// faster for the usual amounts. "F2" rounds the exact binary value of the double to hundredths, ties to even (0.125
/// gives 0.12, 1.005 gives 1.00: it is 1.00499…), which integer arithmetic on the mantissa does exactly. Negative
/// numbers, −0 and amounts from 10^13 on take the framework's formatter.
/// </summary>
internal static class MoneyText
{
    /// <summary>Longest text: "F2" of the largest double (309 digits, sign, point, two decimals).</summary>
    public const int MaxBytes = 330;

    /// <summary>Writes <paramref name="value"/> as "F2" UTF-8 text; false only when <paramref name="destination"/> is too short.</summary>
    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        if (bits < 0 || !(value < 1e13) || destination.Length < 17)
        {
            return value.TryFormat(destination, out written, "F2", CultureInfo.InvariantCulture);
        }

        int biased = (int)(bits >> 52);
        ulong mantissa = (ulong)bits & ((1UL << 52) - 1);
        int exponent = -1074;
        if (biased != 0)
        {
            mantissa |= 1UL << 52;
            exponent = biased - 1075;
        }

        ulong hundredths;
        if (exponent >= 0)
        {
            hundredths = (mantissa << exponent) * 100; // a whole number below 10^13
        }
        else if (-exponent >= 64)
        {
            hundredths = 0; // below 2^60 / 2^64 of a hundredth: rounds to zero
        }
        else
        {
            int shift = -exponent;
            ulong scaled = mantissa * 100; // below 2^60: exact
            hundredths = scaled >> shift;
            ulong remainder = scaled & ((1UL << shift) - 1), half = 1UL << (shift - 1);
            if (remainder > half || (remainder == half && (hundredths & 1) == 1))
            {
                hundredths++;
            }
        }

        (hundredths / 100).TryFormat(destination, out int whole, default, CultureInfo.InvariantCulture);
        int cents = (int)(hundredths % 100);
        destination[whole] = (byte)'.';
        destination[whole + 1] = (byte)('0' + (cents / 10));
        destination[whole + 2] = (byte)('0' + (cents % 10));
        written = whole + 3;
        return true;
    }
}
