using System.Globalization;
using CustomerValue.Domain.Profiles;
using Sylvan.Data.Csv;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>Turns one CSV record into a sale or return, or says which column is wrong and why.</summary>
internal sealed class PosRowMapper
{
    private static readonly System.Buffers.SearchValues<char> PhoneCharacters = System.Buffers.SearchValues.Create("0123456789 +-().");
    private readonly PosLayout _layout;
    private readonly PosColumnMap _map;
    private readonly PosTimestamps _timestamps;
    private readonly char _decimalSeparator;
    private readonly string _groupSeparators;
    private readonly string _encodingName;
    private readonly SpanStringPool _pool = new();
    private readonly IdentityBuilder _identities = new();
    private readonly string _source;
    private readonly PosKeyTemplate _orderKey;
    private readonly PosKeyTemplate _customerKey;
    private readonly PosKeyTemplate? _formerCustomerKey;

    public PosRowMapper(PosLayout layout, PosColumnMap map, PosTimestamps timestamps, char decimalSeparator, string groupSeparators, string encodingName)
    {
        _encodingName = encodingName;
        _layout = layout;
        // Like store ids, the source is part of keys: one spelling per source.
        _source = (layout.Source ?? layout.Name).Trim().ToLowerInvariant().Replace(' ', '-');
        _map = map;
        _timestamps = timestamps;
        _decimalSeparator = decimalSeparator;
        _groupSeparators = groupSeparators;
        _orderKey = new PosKeyTemplate(layout.OrderKeyTemplate);
        _customerKey = new PosKeyTemplate(layout.CustomerKeyTemplate);
        _formerCustomerKey = layout.FormerCustomerKeyTemplate is { } former ? new PosKeyTemplate(former) : null;
    }

    /// <summary>
    /// What each imported order carries in <see cref="OrderRecord.AppliedBy"/>: this tag, <c>#</c> and the record's
    /// number (null: nothing). Set here rather than on a copy of every record later.
    /// </summary>
    public string? AppliedBy { get; init; }

    public PosRowResult Map(CsvDataReader csv, long record, long line)
    {
        var row = new Row(csv, record, line, _map);
        if (IsBlank(csv))
        {
            return row.Result(PosRowStatus.Skipped, null, "blank line");
        }

        var amountColumns = _layout.Amount == PosAmountRule.Total ? _map.Total : _map.Quantity;
        if (_layout.SkipRowsWithoutTotal && row.First(amountColumns).Value.IsEmpty)
        {
            return row.Result(PosRowStatus.Skipped, null, "no total: a line-item row of the transaction above");
        }

        var id = row.First(_map.TransactionId);
        if (id.Value.IsEmpty)
        {
            return row.Quarantine(_map.TransactionId[0], "the transaction id is empty");
        }

        row.TransactionId = id.Value.ToString();
        if (csv.GetRawRecordSpan().Contains('\uFFFD'))
        {
            return Undecodable(ref row, csv);
        }

        return TryRead(ref row, out var failure) ?? failure!;
    }

    private PosRowResult? TryRead(ref Row row, out PosRowResult? failure)
    {
        failure = null;
        // The currency comes before the amounts, which may name it ("EUR 7,50") and must then agree with it.
        if (!TryTimestamp(ref row, out var at, out failure)
            || !TryCurrency(ref row, out var currency, out failure)
            || !TryTotal(ref row, currency, out var total, out var totalColumn, out failure)
            || !TryKind(ref row, total, totalColumn, out var isReturn, out failure)
            || !TryOptionalAmount(ref row, _map.Discounts, "discounts", currency, out var discounts, out failure)
            || !TryOptionalAmount(ref row, _map.Tax, "tax", currency, out var tax, out failure)
            || !TryOptionalAmount(ref row, _map.Shipping, "shipping", currency, out var shipping, out failure)
            || !TryOptionalAmount(ref row, _map.Refunded, "refunded amount", currency, out var refunded, out failure))
        {
            return null;
        }

        var store = Store(ref row);
        var channel = Channel(ref row);
        var key = _orderKey.Fill(_source, store, row.TransactionId!);
        if (isReturn && _layout.ReturnsReuseSaleId)
        {
            key += string.Create(CultureInfo.InvariantCulture, $":return:{at.ToUnixTimeSeconds()}");
        }

        // The identities before the order: an order that names someone carries the import's tag (AppliedBy).
        if (!TryIdentities(ref row, store, _identities.Clear(), out failure))
        {
            return null;
        }

        var raw = _identities.Build();
        var order = new OrderRecord
        {
            OrderKey = key,
            Kind = isReturn ? OrderKind.Return : OrderKind.Sale,
            PlacedAt = at,
            VersionAt = at,
            Gross = isReturn ? 0m : total,
            Refunded = isReturn ? Math.Abs(total) : Math.Abs(refunded),
            Discounts = Math.Abs(discounts),
            Tax = isReturn ? 0m : Math.Abs(tax),
            Shipping = isReturn ? 0m : Math.Abs(shipping),
            Currency = currency,
            Channel = channel,
            Device = channel switch { SalesChannel.Store => "pos", SalesChannel.App => "mobile", _ => null },
            Cancelled = !row.First(_map.CancelledAt).Value.IsEmpty,
            AcquisitionChannel = channel == SalesChannel.Store ? "store/pos" : null,
            StoreId = store,
            AppliedBy = raw.IsEmpty || AppliedBy is null ? null : string.Create(CultureInfo.InvariantCulture, $"{AppliedBy}#{row.Record}"),
        };

        if (raw.IsEmpty)
        {
            return row.Result(PosRowStatus.Anonymous, order, null);
        }

        var (first, last) = Names(ref row);
        var activity = new CustomerActivity { Identities = raw, FirstName = first, LastName = last, Order = order, OccurredAt = at };
        return row.Result(PosRowStatus.Imported, order, null, activity);
    }

    // The decoder wrote U+FFFD for bytes the encoding does not define: the row would import with "Zo\uFFFD" for "Zoë".
    private PosRowResult Undecodable(ref Row row, CsvDataReader csv)
    {
        var column = -1;
        for (var i = 0; i < csv.RowFieldCount && column < 0; i++)
        {
            column = csv.GetFieldSpan(i).Contains('\uFFFD') && i < csv.FieldCount ? i : -1;
        }

        return row.Quarantine(column, $"the record holds bytes that are not valid {_encodingName}: if the export is written in another encoding (e.g. windows-1252), name it in the layout's encoding");
    }

    private bool TryTimestamp(ref Row row, out DateTimeOffset at, out PosRowResult? failure)
    {
        at = default;
        failure = null;
        TimeZoneInfo? rowZone = null;
        var zone = row.First(_map.TimeZone);
        if (!zone.Value.IsEmpty && (rowZone = PosTimeZones.Find(zone.Value.ToString())) is null)
        {
            failure = row.Quarantine(zone.Ordinal, $"{Show(zone.Value)} is not a known time zone");
            return false;
        }

        Span<char> joined = stackalloc char[128];
        var text = joined[..0];
        int column;
        if (_map.Timestamp.Length > 0)
        {
            var cell = row.First(_map.Timestamp);
            column = cell.Ordinal;
            text = Copy(cell.Value, joined);
        }
        else
        {
            var date = row.First(_map.Date);
            var time = row.First(_map.Time);
            column = date.Ordinal;
            text = Copy(date.Value, joined);
            if (!time.Value.IsEmpty && !text.IsEmpty && text.Length + time.Value.Length + 1 <= joined.Length)
            {
                joined[text.Length] = ' ';
                time.Value.CopyTo(joined[(text.Length + 1)..]);
                text = joined[..(text.Length + time.Value.Length + 1)];
            }
        }

        if (text.IsEmpty)
        {
            failure = row.Quarantine(column, "the timestamp is empty");
            return false;
        }

        if (!_timestamps.TryParse(text, rowZone, out at))
        {
            failure = row.Quarantine(column, $"{Show(text)} is not a timestamp in {_timestamps.Describe()}");
            return false;
        }

        return true;
    }

    private bool TryTotal(ref Row row, string currency, out decimal total, out int column, out PosRowResult? failure)
    {
        failure = null;
        total = 0m;
        if (_layout.Amount == PosAmountRule.Total)
        {
            var cell = row.First(_map.Total);
            column = cell.Ordinal;
            return TryAmount(ref row, cell, "total", currency, out total, out failure);
        }

        var quantity = row.First(_map.Quantity);
        var price = row.First(_map.UnitPrice);
        column = quantity.Ordinal;
        if (!TryAmount(ref row, quantity, "quantity", currency, out var q, out failure) || !TryAmount(ref row, price, "unit price", currency, out var p, out failure))
        {
            return false;
        }

        // Both factors are within the order maximum, so the product cannot overflow; it must be within it as well.
        total = decimal.Round(q * p, _layout.AmountDecimals, MidpointRounding.AwayFromZero);
        if (!OrderAmounts.IsWithinLimit(total))
        {
            failure = row.Quarantine(quantity.Ordinal, $"quantity × unit price is more than {OrderAmounts.MaxText}, the most one order may carry");
            return false;
        }

        return true;
    }

    private bool TryAmount(ref Row row, Cell cell, string what, string currency, out decimal value, out PosRowResult? failure)
    {
        failure = null;
        var error = PosAmounts.Parse(cell.Value, _decimalSeparator, _groupSeparators, out value, out var writtenCurrency);
        if (error == PosAmountError.None && !OrderAmounts.IsWithinLimit(value))
        {
            error = PosAmountError.OutOfRange;
        }

        if (error == PosAmountError.None && (writtenCurrency is null || writtenCurrency == currency))
        {
            return true;
        }

        // Amounts are described by their shape (digits as 9, letters as a), so that a shifted column never puts a
        // name or a phone number into the report.
        var shape = Shape(cell.Value);
        failure = row.Quarantine(cell.Ordinal, error switch
        {
            PosAmountError.None => $"the {what} is written in {writtenCurrency} but the row's currency is {currency}",
            PosAmountError.Empty => $"the {what} is empty",
            PosAmountError.ScientificNotation => $"the {what} ('{shape}') is in scientific notation, which is not read as money: export the column as a plain number",
            PosAmountError.GroupSeparatorNotAllowed => $"the {what} ('{shape}') holds a character this layout does not allow in an amount (group separators allowed: {DescribeSeparators(_groupSeparators)})",
            PosAmountError.MisplacedGrouping => $"the {what} ('{shape}') has group separators that do not split the digits in threes: is the decimal separator '{_decimalSeparator}' right?",
            PosAmountError.SeparatorAfterDecimal => $"the {what} ('{shape}') has a separator after the decimal separator '{_decimalSeparator}': is the export's decimal separator another one?",
            PosAmountError.TooManyDecimalSeparators => $"the {what} ('{shape}') has more than one decimal separator '{_decimalSeparator}'",
            PosAmountError.OutOfRange => $"the {what} ('{shape}') is more than {OrderAmounts.MaxText}, the most one order may carry",
            _ => $"the {what} ('{shape}') is not an amount with decimal separator '{_decimalSeparator}'",
        });
        return false;
    }

    private bool TryOptionalAmount(ref Row row, int[] columns, string what, string currency, out decimal value, out PosRowResult? failure)
    {
        value = 0m;
        failure = null;
        var cell = row.First(columns);
        return cell.Value.IsEmpty || TryAmount(ref row, cell, what, currency, out value, out failure);
    }

    private bool TryKind(ref Row row, decimal total, int totalColumn, out bool isReturn, out PosRowResult? failure)
    {
        failure = null;
        var rules = _layout.Returns;
        var type = row.First(_map.Type);
        var typeSaysReturn = false;
        if (!type.Value.IsEmpty)
        {
            var value = _pool.Get(type.Value);
            typeSaysReturn = IsOneOf(value, rules.TypeValues);
            if (!typeSaysReturn && !IsOneOf(value, rules.SaleValues))
            {
                failure = row.Quarantine(type.Ordinal, $"{Show(type.Value)} is neither a sale ({string.Join(", ", rules.SaleValues)}) nor a return ({string.Join(", ", rules.TypeValues)})");
                isReturn = false;
                return false;
            }
        }

        var prefixSaysReturn = rules.IdPrefix is { Length: > 0 } prefix && row.TransactionId!.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        isReturn = typeSaysReturn || prefixSaysReturn || (rules.NegativeTotal && total < 0);
        if (!isReturn && total < 0)
        {
            failure = row.Quarantine(totalColumn, "negative amount on a sale; this layout does not read negative amounts as returns");
            return false;
        }

        return true;
    }

    private bool TryCurrency(ref Row row, out string currency, out PosRowResult? failure)
    {
        failure = null;
        var cell = row.First(_map.Currency);
        if (cell.Value.IsEmpty)
        {
            currency = _layout.Currency;
            return true;
        }

        currency = _pool.Get(cell.Value).ToUpperInvariant();
        if (currency.Length == 3 && !currency.AsSpan().ContainsAnyExceptInRange('A', 'Z'))
        {
            return true;
        }

        failure = row.Quarantine(cell.Ordinal, $"{Show(cell.Value)} is not an ISO 4217 currency code");
        return false;
    }

    private string Store(ref Row row)
    {
        var cell = row.First(_map.StoreId);
        if (cell.Value.IsEmpty)
        {
            return _layout.StoreId ?? "default";
        }

        // Keys are built from the store, so "Main Street" and "main street" must give the same key.
        return _pool.Get(cell.Value).ToLowerInvariant().Replace(' ', '-');
    }

    private SalesChannel Channel(ref Row row)
    {
        var cell = row.First(_map.Channel);
        if (cell.Value.IsEmpty)
        {
            return _layout.Channel;
        }

        return _pool.Get(cell.Value).ToLowerInvariant() switch
        {
            "pos" or "store" or "point of sale" => SalesChannel.Store,
            "app" or "iphone" or "android" or "mobile" => SalesChannel.App,
            _ => SalesChannel.Online,
        };
    }

    private bool TryIdentities(ref Row row, string store, IdentityBuilder identities, out PosRowResult? failure)
    {
        failure = null;
        foreach (var ordinal in _map.CustomerId)
        {
            var id = row.Get(ordinal).ToString();
            if (IdentityBuilder.IsUsable(id) && id != "0")
            {
                var key = _customerKey.Fill(_source, store, id);
                identities.ScopedId(key);
                if (_formerCustomerKey is { } former && former.Fill(_source, store, id) is var old && old != key)
                {
                    identities.FormerScopedId(old);
                }
            }
        }

        foreach (var ordinal in _map.Email)
        {
            var email = row.Get(ordinal).ToString();
            if (IdentityBuilder.IsUsable(email) && !email.Contains('@', StringComparison.Ordinal))
            {
                failure = row.Quarantine(ordinal, "not an e-mail address (no '@')");
                return false;
            }

            identities.Email(email);
        }

        foreach (var ordinal in _map.Phone)
        {
            var phone = row.Get(ordinal).ToString();
            if (IdentityBuilder.IsUsable(phone) && !phone.AsSpan().ContainsAnyInRange('0', '9'))
            {
                failure = row.Quarantine(ordinal, "not a phone number (no digits)");
                return false;
            }

            identities.Phone(phone);
        }

        foreach (var ordinal in _map.LoyaltyId)
        {
            identities.Loyalty(row.Get(ordinal).ToString());
        }

        return true;
    }

    private (string? First, string? Last) Names(ref Row row)
    {
        var first = row.First(_map.FirstName).Value;
        var last = row.First(_map.LastName).Value;
        if (!first.IsEmpty || !last.IsEmpty)
        {
            return (first.IsEmpty ? null : first.ToString(), last.IsEmpty ? null : last.ToString());
        }

        var full = row.First(_map.FullName).Value;
        if (full.IsEmpty)
        {
            return (null, null);
        }

        var space = full.IndexOf(' ');
        return space < 0 ? (full.ToString(), null) : (full[..space].ToString(), full[(space + 1)..].Trim().ToString());
    }

    private static bool IsBlank(CsvDataReader csv)
    {
        for (var i = 0; i < csv.RowFieldCount; i++)
        {
            if (!csv.GetFieldSpan(i).IsWhiteSpace())
            {
                return false;
            }
        }

        return true;
    }

    // A loop rather than LINQ's Contains with a comparer, which cost every row an enumerator.
    private static bool IsOneOf(string value, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(value, values[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Timestamps are copied into a stack buffer so that date and time columns can be joined without allocating.
    private static Span<char> Copy(ReadOnlySpan<char> value, Span<char> buffer)
    {
        var length = Math.Min(value.Length, buffer.Length);
        value[..length].CopyTo(buffer);
        return buffer[..length];
    }

    // Quarantine reasons end up in logs: values that may be contact data are not repeated.
    private static string Show(ReadOnlySpan<char> value)
    {
        var digits = 0;
        foreach (var c in value)
        {
            if (c == '@')
            {
                return "the value (hidden: it may be contact data)";
            }

            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        var phoneLike = digits >= 7 && value.IndexOfAnyExcept(PhoneCharacters) < 0;
        return phoneLike || value.Length > 40 ? "the value (hidden: it may be contact data)" : $"'{value}'";
    }

    // Digits become 9 and letters a (or A); punctuation and spaces stay, so the reason shows how the value is written.
    private static string Shape(ReadOnlySpan<char> value)
    {
        const int MaxShown = 24;
        Span<char> shape = stackalloc char[Math.Min(value.Length, MaxShown)];
        for (var i = 0; i < shape.Length; i++)
        {
            var c = value[i];
            shape[i] = char.IsDigit(c) ? '9' : char.IsUpper(c) ? 'A' : char.IsLetter(c) ? 'a' : char.IsWhiteSpace(c) ? ' ' : c;
        }

        return value.Length > MaxShown ? $"{shape}…" : shape.ToString();
    }

    private static string DescribeSeparators(string separators) => separators.Length == 0
        ? "none"
        : string.Join(", ", separators.Select(c => c switch
        {
            ' ' => "space",
            '\u00A0' => "no-break space",
            '\u202F' => "narrow no-break space",
            '\u2009' => "thin space",
            _ => $"'{c}'",
        }));

    private readonly ref struct Cell
    {
        public Cell(ReadOnlySpan<char> value, int ordinal)
        {
            Value = value;
            Ordinal = ordinal;
        }

        public ReadOnlySpan<char> Value { get; }

        public int Ordinal { get; }
    }

    private ref struct Row
    {
        private readonly CsvDataReader _csv;
        private readonly PosColumnMap _map;

        public Row(CsvDataReader csv, long record, long line, PosColumnMap map)
        {
            _csv = csv;
            _map = map;
            Record = record;
            Line = line;
        }

        public long Record { get; }

        public long Line { get; }

        public string? TransactionId { get; set; }

        public readonly Cell First(int[] ordinals)
        {
            foreach (var ordinal in ordinals)
            {
                var value = Get(ordinal);
                if (!value.IsEmpty)
                {
                    return new Cell(value, ordinal);
                }
            }

            return new Cell(default, ordinals.Length > 0 ? ordinals[0] : -1);
        }

        public readonly ReadOnlySpan<char> Get(int ordinal) =>
            ordinal >= 0 && ordinal < _csv.RowFieldCount ? _csv.GetFieldSpan(ordinal).Trim() : default;

        public readonly PosRowResult Quarantine(int ordinal, string reason) => new()
        {
            Status = PosRowStatus.Quarantined,
            RecordNumber = Record,
            LineNumber = Line,
            TransactionId = TransactionId,
            Column = ordinal >= 0 ? _map.Name(ordinal) : null,
            Reason = reason,
        };

        public readonly PosRowResult Result(PosRowStatus status, OrderRecord? order, string? reason, CustomerActivity? activity = null) => new()
        {
            Status = status,
            RecordNumber = Record,
            LineNumber = Line,
            TransactionId = TransactionId,
            Order = order,
            Activity = activity,
            Reason = reason,
        };
    }
}
