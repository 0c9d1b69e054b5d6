namespace CustomerValue.Ingestion.PosExports;

/// <summary>
/// The first line of an export, read ahead of the CSV reader to choose the delimiter and to know on which physical
/// line the first record starts. The characters read are replayed to the CSV reader by <see cref="ReplayTextReader"/>.
/// </summary>
internal sealed class HeaderLine
{
    /// <summary>A header longer than this is no header: most likely a binary or single-line file.</summary>
    public const int MaxLength = 64 * 1024;

    private HeaderLine(char[] readAhead, int count, int headerLength, int lineBreaks)
    {
        ReadAhead = readAhead;
        Count = count;
        HeaderLength = headerLength;
        LineBreaks = lineBreaks;
    }

    /// <summary>Everything read so far (the header and possibly the start of the records).</summary>
    public char[] ReadAhead { get; }

    /// <summary>How many characters of <see cref="ReadAhead"/> are valid.</summary>
    public int Count { get; }

    /// <summary>Length of the header without its line break.</summary>
    public int HeaderLength { get; }

    /// <summary>Line breaks in the header including its terminator: the first record starts on line <c>LineBreaks + 1</c>.</summary>
    public int LineBreaks { get; }

    /// <summary>True when the file holds nothing but white space.</summary>
    public bool IsEmpty => HeaderLength == 0 || ReadAhead.AsSpan(0, HeaderLength).Trim().IsEmpty;

    /// <summary>Reads up to the first line break outside quotes; null when the header is longer than <see cref="MaxLength"/>.</summary>
    public static async Task<HeaderLine?> ReadAsync(TextReader reader, CancellationToken cancellationToken)
    {
        var buffer = new char[4096];
        var count = 0;
        var quoted = false;
        var breaks = 0;
        var scanned = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                if (buffer.Length >= MaxLength)
                {
                    return null;
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await reader.ReadAsync(buffer.AsMemory(count), cancellationToken);
            if (read == 0)
            {
                return new HeaderLine(buffer, count, count, breaks);
            }

            count += read;
            for (; scanned < count; scanned++)
            {
                var c = buffer[scanned];
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c is '\r' or '\n')
                {
                    // A CR LF pair counts once; wait for the next block if the CR ends this one.
                    if (c == '\r' && scanned + 1 == count)
                    {
                        break;
                    }

                    breaks++;
                    var end = scanned;
                    if (c == '\r' && buffer[scanned + 1] == '\n')
                    {
                        scanned++;
                    }

                    if (!quoted)
                    {
                        return new HeaderLine(buffer, count, end, breaks);
                    }
                }
            }
        }
    }

    /// <summary>The most frequent of <c>,</c> <c>;</c> tab <c>|</c> outside quotes in the header; <c>,</c> when none occurs.</summary>
    public char DetectDelimiter()
    {
        ReadOnlySpan<char> candidates = [',', ';', '\t', '|'];
        Span<int> counts = stackalloc int[candidates.Length];
        var quoted = false;
        foreach (var c in ReadAhead.AsSpan(0, HeaderLength))
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && candidates.IndexOf(c) is var i and >= 0)
            {
                counts[i]++;
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return candidates[best];
    }

    /// <summary>Physical line breaks in a raw record (CR LF, LF and a lone CR each count once).</summary>
    public static int CountLineBreaks(ReadOnlySpan<char> raw)
    {
        var breaks = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\n' || (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return breaks;
    }
}
