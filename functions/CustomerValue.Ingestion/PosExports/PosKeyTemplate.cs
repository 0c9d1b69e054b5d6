namespace CustomerValue.Ingestion.PosExports;

/// <summary>
/// A key template of a layout (<see cref="PosLayout.OrderKeyTemplate"/>, <see cref="PosLayout.CustomerKeyTemplate"/>)
/// filled with one string per row instead of one per placeholder: <c>{source}</c>, <c>{store}</c> and <c>{id}</c> are
/// found once, when the file's reading starts.
/// <para>
/// The result is what replacing <c>{source}</c>, then <c>{store}</c>, then <c>{id}</c> in turn gives; where that could
/// differ (a value holding a brace, which a later replacement could meet), it is done that way.
/// </para>
/// </summary>
internal sealed class PosKeyTemplate
{
    private static readonly string[] Placeholders = ["{source}", "{store}", "{id}"];
    private readonly string _template;
    private readonly Part[] _parts;
    private readonly bool _plain;

    public PosKeyTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        _template = template;
        var parts = new List<Part>();
        var at = 0;
        while (at < template.Length)
        {
            var (next, slot) = NextPlaceholder(template, at);
            if (next < 0)
            {
                parts.Add(new Part(at, template.Length - at, -1));
                break;
            }

            if (next > at)
            {
                parts.Add(new Part(at, next - at, -1));
            }

            parts.Add(new Part(next, Placeholders[slot].Length, slot));
            at = next + Placeholders[slot].Length;
        }

        _parts = [.. parts];
        // A brace outside the placeholders could join a value into a placeholder of a later replacement.
        _plain = !parts.Any(p => p.Slot < 0 && template.AsSpan(p.Start, p.Length).ContainsAny('{', '}'));
    }

    /// <summary>The template with its placeholders replaced.</summary>
    public string Fill(string source, string store, string id)
    {
        if (!_plain || source.AsSpan().ContainsAny('{', '}') || store.AsSpan().ContainsAny('{', '}'))
        {
            return _template.Replace("{source}", source, StringComparison.Ordinal)
                .Replace("{store}", store, StringComparison.Ordinal)
                .Replace("{id}", id, StringComparison.Ordinal);
        }

        var length = 0;
        foreach (var part in _parts)
        {
            length += part.Slot switch { 0 => source.Length, 1 => store.Length, 2 => id.Length, _ => part.Length };
        }

        return string.Create(length, (this, source, store, id), static (chars, state) =>
        {
            var (template, source, store, id) = state;
            foreach (var part in template._parts)
            {
                var value = part.Slot switch
                {
                    0 => source.AsSpan(),
                    1 => store.AsSpan(),
                    2 => id.AsSpan(),
                    _ => template._template.AsSpan(part.Start, part.Length),
                };
                value.CopyTo(chars);
                chars = chars[value.Length..];
            }
        });
    }

    private static (int At, int Slot) NextPlaceholder(string template, int from)
    {
        var best = (At: -1, Slot: -1);
        for (var slot = 0; slot < Placeholders.Length; slot++)
        {
            var at = template.IndexOf(Placeholders[slot], from, StringComparison.Ordinal);
            if (at >= 0 && (best.At < 0 || at < best.At))
            {
                best = (at, slot);
            }
        }

        return best;
    }

    private readonly record struct Part(int Start, int Length, int Slot);
}
