using System.Globalization;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>Why a cell was not read as an amount; <see cref="None"/> when it was.</summary>
internal enum PosAmountError
{
    None,
    Empty,
    NotANumber,
    ScientificNotation,
    GroupSeparatorNotAllowed,
    MisplacedGrouping,
    SeparatorAfterDecimal,
    TooManyDecimalSeparators,
    OutOfRange,
}

/// <summary>
/// Reads money as exports write it, and nothing else: <c>12.50</c>, <c>12,50</c>, <c>$1,240.00</c>, <c>-$0.95</c>,
/// <c>($0.95)</c>, <c>€ 1.234,56</c>, <c>1 234,56</c>, <c>EUR 7,5</c>, <c>7,50 €</c>.
/// <list type="bullet">
/// <item>One decimal separator (the layout's); the digits after it are all digits.</item>
/// <item>Group separators only in the whole part, only characters the layout allows, one kind per amount, and only
/// between groups of three digits (<c>1,234,567</c>; <c>1,5</c> or <c>12,50</c> with a decimal point is refused,
/// because it is a decimal comma in a file read with the wrong separator).</item>
/// <item>At most one sign (<c>-</c>, <c>−</c>, <c>+</c>) or one pair of parentheses, and at most one currency: a run of
/// currency symbols, optionally after one or two capital letters (<c>US$</c>), or a three-letter ISO 4217 code in
/// capitals, before or after the number.</item>
/// <item>Scientific notation (<c>1.2E+03</c>) is refused rather than read: a spreadsheet writes money that way only
/// after rounding it to the digits it displays, so the value is no longer the amount paid.</item>
/// </list>
/// Anything else is an error the caller quarantines; nothing is dropped to make a value fit.
/// </summary>
internal static class PosAmounts
{
    /// <summary>Characters that exports use to group digits; those not allowed by the layout make the amount an error.</summary>
    public const string GroupCandidates = ",.'\u2019 \u00A0\u202F\u2009";

    /// <summary>The group separators a layout that names none allows: every candidate except the decimal separator.</summary>
    public static string DefaultGroupSeparators(char decimalSeparator) => GroupCandidates.Replace(decimalSeparator.ToString(), string.Empty, StringComparison.Ordinal);

    public static bool TryParse(ReadOnlySpan<char> text, char decimalSeparator, out decimal value) =>
        Parse(text, decimalSeparator, DefaultGroupSeparators(decimalSeparator), out value, out _) == PosAmountError.None;

    /// <summary>Parses an amount; <paramref name="currencyCode"/> is the ISO code written in the cell, if any.</summary>
    public static PosAmountError Parse(
        ReadOnlySpan<char> text, char decimalSeparator, ReadOnlySpan<char> groupSeparators, out decimal value, out string? currencyCode)
    {
        value = 0m;
        currencyCode = null;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return PosAmountError.Empty;
        }

        if (text.Length > 64)
        {
            return PosAmountError.NotANumber;
        }

        var negative = false;
        var signed = false;
        if (text[0] == '(' && text[^1] == ')')
        {
            negative = signed = true;
            text = text[1..^1].Trim();
        }

        if (!TrySign(ref text, ref negative, ref signed))
        {
            return PosAmountError.NotANumber;
        }

        var currencyLength = CurrencyLength(text, out currencyCode);
        var hasPrefix = currencyLength > 0;
        text = text[currencyLength..].TrimStart();
        if (!TrySign(ref text, ref negative, ref signed))
        {
            return PosAmountError.NotANumber;
        }

        var numberLength = 0;
        while (numberLength < text.Length
            && (char.IsAsciiDigit(text[numberLength]) || text[numberLength] == decimalSeparator || GroupCandidates.Contains(text[numberLength])
                || groupSeparators.Contains(text[numberLength])))
        {
            numberLength++;
        }

        // A space between the number and a currency after it ("7,50 €") is no group separator.
        var number = text[..numberLength].TrimEnd();
        var rest = text[numberLength..].TrimStart();
        if (number.IsEmpty || number.IndexOfAnyInRange('0', '9') < 0)
        {
            return PosAmountError.NotANumber;
        }

        if (rest.Length > 0 && rest[0] is 'e' or 'E' && (rest.Length == 1 || char.IsAsciiDigit(rest[1]) || rest[1] is '+' or '-'))
        {
            return PosAmountError.ScientificNotation;
        }

        if (rest.Length > 0)
        {
            if (hasPrefix || CurrencyLength(rest, out currencyCode) != rest.Length)
            {
                return PosAmountError.NotANumber;
            }
        }

        Span<char> cleaned = stackalloc char[number.Length];
        var error = Digits(number, decimalSeparator, groupSeparators, cleaned, out var cleanedLength);
        if (error != PosAmountError.None)
        {
            return error;
        }

        if (!decimal.TryParse(cleaned[..cleanedLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            return PosAmountError.OutOfRange;
        }

        value = negative ? -value : value;
        return PosAmountError.None;
    }

    // The number without its group separators and with '.' as decimal point, after checking where the separators are.
    private static PosAmountError Digits(ReadOnlySpan<char> number, char decimalSeparator, ReadOnlySpan<char> groupSeparators, Span<char> cleaned, out int length)
    {
        length = 0;
        var point = number.IndexOf(decimalSeparator);
        var whole = point < 0 ? number : number[..point];
        var fraction = point < 0 ? [] : number[(point + 1)..];
        if (point >= 0)
        {
            if (fraction.IndexOf(decimalSeparator) >= 0)
            {
                return PosAmountError.TooManyDecimalSeparators;
            }

            if (fraction.ContainsAnyExceptInRange('0', '9'))
            {
                return PosAmountError.SeparatorAfterDecimal;
            }

            if (fraction.IsEmpty)
            {
                return PosAmountError.NotANumber;
            }
        }

        var group = '\0';
        var run = 0;
        var groups = 0;
        foreach (var c in whole)
        {
            if (char.IsAsciiDigit(c))
            {
                cleaned[length++] = c;
                run++;
                continue;
            }

            if (!groupSeparators.Contains(c))
            {
                return PosAmountError.GroupSeparatorNotAllowed;
            }

            // The first group holds one to three digits, every later one exactly three, all split by the same character.
            if ((group != '\0' && c != group) || run is 0 or > 3 || (groups > 0 && run != 3))
            {
                return PosAmountError.MisplacedGrouping;
            }

            group = c;
            groups++;
            run = 0;
        }

        if (groups > 0 && run != 3)
        {
            return PosAmountError.MisplacedGrouping;
        }

        if (point >= 0)
        {
            cleaned[length++] = '.';
            fraction.CopyTo(cleaned[length..]);
            length += fraction.Length;
        }

        return PosAmountError.None;
    }

    private static bool TrySign(ref ReadOnlySpan<char> text, ref bool negative, ref bool signed)
    {
        if (text.IsEmpty || text[0] is not ('-' or '\u2212' or '+'))
        {
            return true;
        }

        if (signed)
        {
            return false;
        }

        negative = text[0] != '+';
        signed = true;
        text = text[1..].TrimStart();
        return true;
    }

    // A currency at the start of text: "€", "US$", "R$" (symbols, optionally after one or two capitals) or "EUR".
    private static int CurrencyLength(ReadOnlySpan<char> text, out string? isoCode)
    {
        isoCode = null;
        var letters = 0;
        while (letters < text.Length && char.IsAsciiLetterUpper(text[letters]))
        {
            letters++;
        }

        var symbols = letters;
        while (symbols < text.Length && char.GetUnicodeCategory(text[symbols]) == UnicodeCategory.CurrencySymbol)
        {
            symbols++;
        }

        if (symbols > letters && letters <= 2)
        {
            return symbols;
        }

        if (symbols == letters && letters == 3 && (text.Length == 3 || !char.IsLetter(text[3])))
        {
            isoCode = text[..3].ToString();
            return 3;
        }

        return 0;
    }
}
