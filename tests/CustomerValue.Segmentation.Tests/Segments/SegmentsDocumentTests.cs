using CustomerValue.Segmentation.Segments;
using CustomerValue.Segmentation.Tests.Custom;

namespace CustomerValue.Segmentation.Tests.Segments;

public sealed class SegmentsDocumentTests
{
    private static string Document() => SegmentsDocument.Text();

    [Fact]
    public void Document_DescribesEveryBuiltInSegmentWithItsTiming()
    {
        var document = Document();

        Assert.All(SegmentRegistry.BuiltIn, rule =>
        {
            var row = document.Split('\n').SingleOrDefault(l => l.StartsWith($"| `{rule.Name}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"SEGMENTS.md has no row for {rule.Name}");
            Assert.EndsWith(rule.Timing == SegmentTiming.RealTime ? "| real-time |" : "| rank-based |", row!.TrimEnd(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Document_ShipsTheExamplesTheTestsRun()
    {
        var document = Document().ReplaceLineEndings("\n");
        var start = document.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var example = document[start..document.IndexOf("\n```", start, StringComparison.Ordinal)];

        Assert.Equal(ExampleDefinitions.Json.ReplaceLineEndings("\n"), example);
    }

    [Fact]
    public void Document_ShipsTheYamlExamplesTheDemoLoads()
    {
        var document = Document().ReplaceLineEndings("\n");
        var start = document.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var example = document[start..document.IndexOf("\n```", start, StringComparison.Ordinal)];

        Assert.Equal(CustomerValue.Segmentation.Custom.CustomSegmentExamples.Yaml.ReplaceLineEndings("\n"), example);
    }
}
