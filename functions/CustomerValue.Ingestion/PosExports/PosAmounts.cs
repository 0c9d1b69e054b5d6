using System.Globalization;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>
/// Reads money as exports write it: <c>12.50</c>, <c>12,50</c>, <c>$1,240.00</c>, <c>-$0.95</c>, <c>($0.95)</c>,
/// <c>€ 1.234,56</c>, <c>1 234,56</c>. Currency symbols and group separators are dropped; the one configured
/// decimal separator is kept, so <c>1.234</c> with a decimal comma is one thousand two hundred thirty-four.
/// </summary>
internal static class PosAmounts
{
    public static bool TryParse(ReadOnlySpan<char> text, char decimalSeparator, out decimal value)
    {
        value = 0m;
        text = text.Trim();
        if (text.IsEmpty || text.Length > 64)
        {
            return false;
        }

        var negative = false;
        if (text[0] == '(' && text[^1] == ')')
        {
            negative = true;
            text = text[1..^1];
        }

        Span<char> cleaned = stackalloc char[text.Length];
        var length = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                cleaned[length++] = c;
                digits++;
            }
            else if (c == decimalSeparator)
            {
                cleaned[length++] = '.';
            }
            else if (c is '-' or '\u2212')
            {
                negative = !negative;
            }
            else if (c is '+' || char.IsWhiteSpace(c) || c is ',' or '.' or '\'' or '\u00A0' or '\u202F'
                || char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol || char.IsAsciiLetter(c))
            {
                // Group separators, currency symbols and codes (EUR, US$) carry no value.
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || !decimal.TryParse(cleaned[..length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        value = negative ? -value : value;
        return true;
    }
}
