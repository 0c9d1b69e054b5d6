using System.Buffers;

namespace CustomerValue.Functions.Host;

/// <summary>Reads a request body up to a size limit, so an oversized caller is refused without being buffered whole.</summary>
public static class RequestBody
{
    // Small enough to stay out of the large-object heap and to be pooled; a typical order webhook fits in one or two.
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The body's bytes, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    /// <param name="body">The request stream.</param>
    /// <param name="maxBytes">The most bytes accepted.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="declaredLength">The request's Content-Length when it sent one: sizes the buffer once instead of growing it.</param>
    public static async Task<byte[]?> ReadLimitedAsync(Stream body, long maxBytes, CancellationToken cancellationToken, long? declaredLength = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var capacity = declaredLength is > 0 && declaredLength <= maxBytes ? (int)declaredLength.Value : 0;
        using var buffer = new MemoryStream(capacity);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        // A body that filled the declared capacity exactly is handed over without a copy.
        return buffer.TryGetBuffer(out var whole) && whole.Array!.Length == whole.Count ? whole.Array : buffer.ToArray();
    }
}
