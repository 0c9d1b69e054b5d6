using System.Text;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>Finds the character encoding a layout names, Windows and ISO code pages included.</summary>
internal static class PosEncodings
{
    /// <summary>
    /// The encoding named (<c>windows-1252</c>, <c>iso-8859-15</c>, <c>utf-16</c>, ...), decoding bytes it does not
    /// define as U+FFFD so that the reader can quarantine them; null when the name is unknown. The code pages come from
    /// the runtime's own provider, asked directly, so that no process-wide registration is needed.
    /// </summary>
    public static Encoding? Find(string name)
    {
        if (CodePagesEncodingProvider.Instance.GetEncoding(name, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback) is { } codePage)
        {
            return codePage;
        }

        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
