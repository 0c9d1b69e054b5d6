using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

/// <summary>A key template filled in one pass gives what replacing its placeholders one after another gave.</summary>
public sealed class KeyTemplateTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "pos:{store}:tx:{id}", "generic", "store-7", "T-1001" },
        { "pos:{source}:{id}", "square", "main-street", "991" },
        { "{id}", "s", "x", "only" },
        { "{id}{id}-{store}{source}", "a", "b", "c" },
        { "no placeholders", "a", "b", "c" },
        { "", "a", "b", "c" },
        // Values and templates with braces: a later replacement meets what an earlier one put there.
        { "pos:{source}:{store}:{id}", "src{store}", "st{id}", "7" },
        { "pos:{sto{source}:{id}", "re}", "st", "7" },
        { "pos:{store}:{id}", "s", "{", "id}" },
        { "pos:{ID}:{id}", "s", "t", "1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fill_GivesWhatReplacingEachPlaceholderInTurnGives(string template, string source, string store, string id)
    {
        var replaced = template.Replace("{source}", source, StringComparison.Ordinal)
            .Replace("{store}", store, StringComparison.Ordinal)
            .Replace("{id}", id, StringComparison.Ordinal);

        Assert.Equal(replaced, new PosKeyTemplate(template).Fill(source, store, id));
    }
}
