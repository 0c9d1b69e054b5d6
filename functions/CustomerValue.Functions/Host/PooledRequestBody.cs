using System.Buffers;

namespace CustomerValue.Functions.Host;

/// <summary>
/// A request body read into 64 KB chunks rented from <see cref="ArrayPool{T}.Shared"/> and handed back on
/// <see cref="Dispose"/>. A body that fits one chunk (nearly every webhook) is used in place; a longer one is joined
/// into one array of its exact length only when <see cref="Memory"/> is asked for, that is, once its signature was
/// found valid. A refused body of megabytes therefore costs no allocation of its size, and the pool keeps only a few
/// small chunks between requests (large pooled arrays would stay in the pool, hundreds of MB after a flood).
/// Nothing may keep <see cref="Memory"/> past the disposal.
/// </summary>
public sealed class PooledRequestBody : IDisposable
{
    /// <summary>The size of one pooled chunk.</summary>
    public const int ChunkBytes = 64 * 1024;

    private readonly List<byte[]> _chunks = new(1);
    private long _length;
    private byte[]? _joined;

    private PooledRequestBody()
    {
    }

    /// <summary>The body's length in bytes.</summary>
    public long Length => _length;

    /// <summary>The body's bytes: in place when they fit one chunk, otherwise joined into one array the first time.</summary>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_length > 0 && _chunks.Count == 0 && _joined is null, this);
            if (_joined is not null)
            {
                return _joined;
            }

            if (_chunks.Count <= 1)
            {
                return _chunks.Count == 0 ? ReadOnlyMemory<byte>.Empty : _chunks[0].AsMemory(0, (int)_length);
            }

            var joined = GC.AllocateUninitializedArray<byte>(checked((int)_length));
            int at = 0;
            foreach (var chunk in _chunks)
            {
                int n = (int)Math.Min(ChunkBytes, _length - at);
                chunk.AsSpan(0, n).CopyTo(joined.AsSpan(at));
                at += n;
            }

            ReturnChunks();
            _joined = joined;
            return joined;
        }
    }

    /// <summary>
    /// Reads <paramref name="body"/> to its end, passing every chunk to <paramref name="observe"/> as it arrives (the
    /// running signature check). Null, with the chunks already returned, as soon as the body exceeds
    /// <paramref name="maxBytes"/>: at most one byte beyond the limit is read.
    /// </summary>
    /// <param name="body">The request stream.</param>
    /// <param name="maxBytes">The most bytes accepted.</param>
    /// <param name="observe">Sees each part of the body once, in order; may be null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<PooledRequestBody?> ReadAsync(Stream body, long maxBytes, ChunkObserver? observe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - 1L);
        var read = new PooledRequestBody();
        try
        {
            while (true)
            {
                int used = (int)(read._length % ChunkBytes);
                if (used == 0 && read._length / ChunkBytes == read._chunks.Count)
                {
                    read._chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkBytes));
                }

                // Up to one byte past the limit is read, to tell a body of exactly the limit from a longer one.
                var chunk = read._chunks[^1];
                int room = (int)Math.Min(ChunkBytes - used, maxBytes + 1 - read._length);
                int n = await body.ReadAsync(chunk.AsMemory(used, room), cancellationToken);
                if (n == 0)
                {
                    return read;
                }

                if (read._length + n > maxBytes)
                {
                    read.Dispose();
                    return null;
                }

                observe?.Invoke(chunk.AsSpan(used, n));
                read._length += n;
            }
        }
        catch
        {
            read.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ReturnChunks();
        _joined = null;
    }

    private void ReturnChunks()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
    }
}

/// <summary>Sees a part of a request body as it is read.</summary>
/// <param name="chunk">The bytes just read.</param>
public delegate void ChunkObserver(ReadOnlySpan<byte> chunk);
