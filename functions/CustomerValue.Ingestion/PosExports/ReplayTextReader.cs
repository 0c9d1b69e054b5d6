namespace CustomerValue.Ingestion.PosExports;

/// <summary>A reader that first returns characters already read ahead, then continues with the underlying reader.</summary>
internal sealed class ReplayTextReader : TextReader
{
    private readonly char[] _prefix;
    private readonly int _count;
    private readonly TextReader _rest;
    private int _position;

    public ReplayTextReader(char[] prefix, int count, TextReader rest)
    {
        _prefix = prefix;
        _count = count;
        _rest = rest;
    }

    public override int Peek() => _position < _count ? _prefix[_position] : _rest.Peek();

    public override int Read() => _position < _count ? _prefix[_position++] : _rest.Read();

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (_position < _count)
        {
            var n = Math.Min(buffer.Length, _count - _position);
            _prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        return _rest.Read(buffer);
    }

    public override Task<int> ReadAsync(char[] buffer, int index, int count) =>
        ReadAsync(buffer.AsMemory(index, count)).AsTask();

    public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _count)
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }

        return _rest.ReadAsync(buffer, cancellationToken);
    }
}
