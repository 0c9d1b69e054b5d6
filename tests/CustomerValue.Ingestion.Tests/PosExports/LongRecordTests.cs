using System.Text;
using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

public sealed class LongRecordTests
{
    private const string Header = "transaction_id,timestamp,total,customer_id,first_name\n";

    private static string Row(string id, string name = "Ann") => $"{id},2025-04-01T10:00:00Z,10.00,1,{name}\n";

    private static async Task<List<PosRowResult>> ReadAsync(string csv, int bufferSize = 64 * 1024)
    {
        var results = new List<PosRowResult>();
        await foreach (var row in new PosExportReader(bufferSize).ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), PosLayouts.Generic))
        {
            results.Add(row);
        }

        return results;
    }

    [Fact]
    public async Task OneFieldOfAMillionCharacters_IsQuarantined_AndTheRestOfTheFileImports()
    {
        var csv = Header + Row("L-1") + Row("L-2", new string('x', 1_000_000)) + Row("L-3") + Row("L-4");
        var rows = await ReadAsync(csv);

        Assert.Equal(
            [(1L, 2L, PosRowStatus.Imported), (2L, 3L, PosRowStatus.Quarantined), (3L, 4L, PosRowStatus.Imported), (4L, 5L, PosRowStatus.Imported)],
            rows.Select(r => (r.RecordNumber, r.LineNumber, r.Status)));
        Assert.Equal("the record is 1,000,033 characters long, more than the 65,536 a record may have (most likely a quote that is never closed); it was skipped", rows[1].Reason);
        Assert.Equal(["L-1", "L-3", "L-4"], rows.Where(r => r.IsAccepted).Select(r => r.TransactionId));
    }

    [Fact]
    public async Task OverLongFirstRecord_QuotedWithLineBreaksAndCrLf_KeepsRecordAndLineNumbers()
    {
        var longField = "\"" + string.Join("\r\n", Enumerable.Repeat(new string('y', 999), 100)) + "\"";
        var csv = (Header + Row("L-1", longField) + Row("L-2") + Row("L-3", "\"Mary\nAnn\"") + Row("L-4")).Replace("\n", "\r\n", StringComparison.Ordinal)
            .Replace("\r\r\n", "\r\n", StringComparison.Ordinal);
        var rows = await ReadAsync(csv);

        Assert.Equal(
            [(1L, 2L, PosRowStatus.Quarantined), (2L, 102L, PosRowStatus.Imported), (3L, 103L, PosRowStatus.Imported), (4L, 105L, PosRowStatus.Imported)],
            rows.Select(r => (r.RecordNumber, r.LineNumber, r.Status)));
        Assert.Equal("Mary\r\nAnn", rows[2].Activity!.FirstName);
    }

    [Fact]
    public async Task UnclosedQuote_QuarantinesTheRestAsOneRecord_WithoutAFileError()
    {
        var csv = Header + Row("U-1") + Row("U-2", "\"never closed") + string.Concat(Enumerable.Range(3, 100).Select(i => Row($"U-{i}")));
        var rows = await ReadAsync(csv, bufferSize: 1024);

        Assert.Equal([(1L, PosRowStatus.Imported), (2L, PosRowStatus.Quarantined)], rows.Select(r => (r.RecordNumber, r.Status)));
        Assert.Equal(3L, rows[1].LineNumber);
    }

    [Fact]
    public async Task RecordsUpToTheLimit_AreRead_AndStrayQuotesDoNotCount()
    {
        var fits = Row("F-1", new string('z', 1024 - Row("F-1", string.Empty).Length + 1));
        var csv = Header + fits + Row("F-2", "12\" Pizza") + Row("F-3", "\"a \"\"quoted\"\" name\"x") + Row("F-4");
        var rows = await ReadAsync(csv, bufferSize: 1024);

        Assert.All(rows, r => Assert.Equal(PosRowStatus.Imported, r.Status));
        Assert.Equal(1024, fits.Length - 1);
        Assert.Equal("a \"quoted\" namex", rows[2].Activity!.FirstName);
    }

    [Fact]
    public async Task EveryRecordIsReported_OnceAndInOrder_WhateverTheBufferBoundaries()
    {
        var random = new Random(7);
        var builder = new StringBuilder(Header);
        var expected = new List<PosRowStatus>();
        for (var i = 1; i <= 400; i++)
        {
            var length = random.Next(10) == 0 ? random.Next(1_000, 5_000) : random.Next(0, 60);
            var name = random.Next(3) == 0 ? $"\"{new string('q', length / 2)},\r\n{new string('q', length / 2)}\"" : new string('n', length);
            builder.Append(Row($"R-{i}", name));
            expected.Add(Row($"R-{i}", name).Length - 1 > 1024 ? PosRowStatus.Quarantined : PosRowStatus.Imported);
        }

        var rows = await ReadAsync(builder.ToString(), bufferSize: 1024);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), rows.Select(r => r.RecordNumber));
        Assert.Equal(expected, rows.Select(r => r.Status));
    }
}
