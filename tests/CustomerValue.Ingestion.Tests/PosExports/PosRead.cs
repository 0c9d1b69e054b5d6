using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

internal static class PosRead
{
    public static async Task<List<PosRowResult>> AllAsync(Stream content, PosLayout layout)
    {
        var results = new List<PosRowResult>();
        await foreach (var row in new PosExportReader().ReadAsync(content, layout, CancellationToken.None))
        {
            results.Add(row);
        }

        return results;
    }

    public static async Task<List<PosRowResult>> FixtureAsync(string name, PosLayout layout)
    {
        await using var stream = Fixture.Open($"PosExports/{name}");
        return await AllAsync(stream, layout);
    }

    public static async Task<List<PosRowResult>> TextAsync(string csv, PosLayout layout) =>
        await AllAsync(new MemoryStream(Fixture.Utf8(csv)), layout);
}
