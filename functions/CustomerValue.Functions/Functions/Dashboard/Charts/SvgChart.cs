using System.Text.RegularExpressions;
using ScottPlot;

namespace CustomerValue.Functions.Functions.Dashboard.Charts;

/// <summary>
/// A ScottPlot chart as inline SVG for a server-rendered page: no script, no request for an image, no CDN. The SVG
/// scales to its container (viewBox) and is announced to screen readers as one image with a title.
/// </summary>
public static partial class SvgChart
{
    /// <summary>Width every dashboard chart is drawn at (it scales down to the viewport).</summary>
    public const int Width = 720;

    /// <summary>Height every dashboard chart is drawn at.</summary>
    public const int Height = 360;

    /// <summary>Renders <paramref name="plot"/> as an accessible, responsive SVG element.</summary>
    public static string Render(Plot plot, string title, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(title);
        var svg = plot.GetSvgXml(width, height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = svg[start..];
        var open = svg.IndexOf('>', StringComparison.Ordinal);
        var encoded = System.Net.WebUtility.HtmlEncode(title);
        var header = $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{encoded}" class="chart" preserveAspectRatio="xMidYMid meet"><title>{encoded}</title>""";
        var body = svg[(open + 1)..];
        // ScottPlot numbers its clip paths per process; two charts on one page must not share an id.
        var prefix = "c" + Guid.NewGuid().ToString("N")[..8] + "_";
        body = ClipId().Replace(body, m => m.Groups[1].Value + prefix + m.Groups[2].Value);
        return header + body;
    }

    /// <summary>The look every dashboard chart shares: sans-serif text, readable sizes.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Axes.Title.Label.FontSize = 16;
        return plot;
    }

    [GeneratedRegex("""(id="|url\(#)(cl_\d+)""")]
    private static partial Regex ClipId();
}
