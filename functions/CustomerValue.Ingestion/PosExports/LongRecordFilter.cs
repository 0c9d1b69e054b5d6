using System.Buffers;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>
/// Stands between the decoded export and the CSV reader and replaces each record longer than a limit by an empty line,
/// noting it for <see cref="TryTakeDropped"/>. Sylvan's reader must hold a whole record in its buffer and cannot go
/// on after one overflowed it, so without this one over-long field (or an unclosed quote) would end the import; with
/// it the record is quarantined like any bad row, in bounded memory, and the rest of the file imports.
/// </summary>
/// <remarks>
/// Records are split by the rules Sylvan applies in lax mode: a field that starts with a quote runs to its closing
/// quote (<c>""</c> inside it is a quote), line breaks inside it belong to the record, and whatever follows the closing
/// quote up to the next delimiter is text; CR, LF and CR LF end a record. The header is record 0.
/// </remarks>
internal sealed class LongRecordFilter : TextReader
{
    private const int ReadSize = 16 * 1024;
    private readonly TextReader _source;
    private readonly char _delimiter;
    private readonly int _maxLength;
    private readonly SearchValues<char> _fieldEnds;
    private readonly Queue<DroppedRecord> _dropped = new();
    private char[] _buffer;
    private int _start;    // the next character handed out
    private int _released; // characters before this are whole records (or replacements), ready to hand out
    private int _scan;     // the next character to classify; the current record starts at _released
    private int _end;      // characters read from the source
    private bool _atEnd;
    private State _state = State.FieldStart;
    private bool _afterRecordCarriageReturn;
    private bool _afterQuotedCarriageReturn;
    private long _record;
    private int _lineBreaks;
    private long _droppedLength;
    private bool _dropping;

    public LongRecordFilter(TextReader source, char delimiter, int maxLength)
    {
        _source = source;
        _delimiter = delimiter;
        _maxLength = maxLength;
        _fieldEnds = SearchValues.Create([delimiter, '\r', '\n']);
        _buffer = ArrayPool<char>.Shared.Rent(maxLength + ReadSize);
    }

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>The most characters a record may have, line break not counted.</summary>
    public int MaxLength => _maxLength;

    /// <summary>True when record <paramref name="index"/> (the header is 0) was replaced; says how long it was.</summary>
    public bool TryTakeDropped(long index, out DroppedRecord record)
    {
        if (_dropped.TryPeek(out record) && record.Index == index)
        {
            _dropped.Dequeue();
            return true;
        }

        return false;
    }

    public override int Peek()
    {
        while (_start == _released && !_atEnd)
        {
            Compact();
            Filled(_source.Read(_buffer.AsSpan(_end)));
        }

        return _start < _released ? _buffer[_start] : -1;
    }

    public override int Read()
    {
        var c = Peek();
        _start += c < 0 ? 0 : 1;
        return c;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        while (true)
        {
            if (_start < _released || _atEnd)
            {
                return HandOut(buffer);
            }

            Compact();
            Filled(_source.Read(_buffer.AsSpan(_end)));
        }
    }

    public override Task<int> ReadAsync(char[] buffer, int index, int count) => ReadAsync(buffer.AsMemory(index, count)).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_start < _released || _atEnd)
            {
                return HandOut(buffer.Span);
            }

            Compact();
            Filled(await _source.ReadAsync(_buffer.AsMemory(_end), cancellationToken));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = [];
        }

        base.Dispose(disposing);
    }

    private int HandOut(Span<char> destination)
    {
        var n = Math.Min(destination.Length, _released - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    // Everything handed out is gone: the record being read moves to the front, leaving at least ReadSize free.
    private void Compact()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _scan -= _start;
            _released -= _start;
            _start = 0;
        }
    }

    private void Filled(int read)
    {
        if (read == 0)
        {
            _atEnd = true;

            // The last record may end without a line break; an over-long one still becomes an empty line.
            if (_dropping || _end - _released > _maxLength)
            {
                Replace(_end, '\n');
            }

            _released = _end;
            return;
        }

        _end += read;
        Scan();
        if (!_dropping && _scan - _released > _maxLength)
        {
            _dropping = true;
        }

        if (_dropping)
        {
            Discard();
        }
    }

    private void Scan()
    {
        while (_scan < _end)
        {
            var c = _buffer[_scan];
            if (_afterRecordCarriageReturn)
            {
                // The LF of a CR LF belongs to the record before it, replaced or not.
                _afterRecordCarriageReturn = false;
                if (c == '\n')
                {
                    _released = ++_scan;
                    continue;
                }
            }

            switch (_state)
            {
                case State.FieldStart:
                    _state = c == '"' ? State.Quoted : State.Unquoted;
                    _scan += c == '"' ? 1 : 0;
                    break;
                case State.Unquoted:
                    var next = _buffer.AsSpan(_scan, _end - _scan).IndexOfAny(_fieldEnds);
                    if (next < 0)
                    {
                        _scan = _end;
                        break;
                    }

                    _scan += next;
                    if (_buffer[_scan] == _delimiter)
                    {
                        _state = State.FieldStart;
                        _scan++;
                    }
                    else
                    {
                        EndRecord(_buffer[_scan]);
                    }

                    break;
                case State.Quoted:
                    var special = _buffer.AsSpan(_scan, _end - _scan).IndexOfAny('"', '\r', '\n');
                    if (special < 0)
                    {
                        _scan = _end;
                        break;
                    }

                    _scan += special;
                    c = _buffer[_scan++];
                    _state = c == '"' ? State.QuoteInQuoted : State.Quoted;
                    _lineBreaks += c == '\r' || (c == '\n' && !_afterQuotedCarriageReturn) ? 1 : 0;
                    _afterQuotedCarriageReturn = c == '\r';
                    continue;
                case State.QuoteInQuoted:
                    // "" is a quote inside the field; any other character follows the closing quote as plain text.
                    _state = c == '"' ? State.Quoted : State.Unquoted;
                    _scan += c == '"' ? 1 : 0;
                    break;
            }

            _afterQuotedCarriageReturn = false;
        }
    }

    private void EndRecord(char lineBreak)
    {
        if (_dropping || _scan - _released > _maxLength)
        {
            // The replacement keeps the record's own line break, so a CR LF stays one line break for the reader.
            Replace(_scan + 1, lineBreak);
        }
        else
        {
            _scan++;
        }

        _released = _scan;
        _record++;
        _lineBreaks = 0;
        _state = State.FieldStart;
        _afterRecordCarriageReturn = lineBreak == '\r';
    }

    // Drops the characters of the current record scanned so far, keeping their count.
    private void Discard()
    {
        _droppedLength += _scan - _released;
        Array.Copy(_buffer, _scan, _buffer, _released, _end - _scan);
        _end -= _scan - _released;
        _scan = _released;
    }

    // Replaces the current record up to recordEnd (its line break included) by that line break alone.
    private void Replace(int recordEnd, char lineBreak)
    {
        var hasBreak = recordEnd <= _end && recordEnd > _released && _buffer[recordEnd - 1] == lineBreak && !_atEnd;
        var length = _droppedLength + (recordEnd - _released) - (hasBreak ? 1 : 0);
        _dropped.Enqueue(new DroppedRecord(_record, length, _lineBreaks + (hasBreak ? 1 : 0)));
        Array.Copy(_buffer, recordEnd, _buffer, _released + 1, _end - recordEnd);
        _end -= recordEnd - _released - 1;
        _buffer[_released] = lineBreak;
        _scan = _released + 1;
        _dropping = false;
        _droppedLength = 0;
    }

    /// <summary>A record that was replaced: its index (the header is 0), length and the line breaks it spanned.</summary>
    internal readonly record struct DroppedRecord(long Index, long Length, int LineBreaks);
}
