using System.Globalization;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// Prints <c>bench stores</c>' table: one row per figure, one column per store, so each figure of the Cosmos-API
/// server stands beside the embedded store's; then the ingestion's store operations per container.
/// </summary>
internal static class StoresReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Writes the table.</summary>
    public static void WriteTable(TextWriter output, StoresBenchmarkOptions options, IReadOnlyList<IStoreTarget> targets, IReadOnlyList<IngestResult> ingest, IReadOnlyList<RecomputeResult> recompute)
    {
        List<string[]> rows = [["", .. targets.Select(t => t.Name)]];
        void Section(string title) => rows.Add([title, .. targets.Select(_ => "")]);
        void Row<T>(string label, IReadOnlyList<T> results, Func<T, string> cell) => rows.Add(["  " + label, .. results.Select(cell)]);

        Section(string.Format(C, "Ingestion: {0:N0} webhooks after {1:N0} warm-up, WebhookIngestor, {2} senders", options.Webhooks, options.Warmup, options.Senders));
        Row("webhooks/s", ingest, r => r.PerSecond.ToString("N0", C));
        Row("p50 / p99 ms", ingest, r => string.Format(C, "{0:0.0} / {1:0.0}", r.Percentile(0.5), r.Percentile(0.99)));
        Row("point reads / webhook", ingest, r => PerItem(r.Operations.Total.PointReads, r.Count, string.Format(C, "{0:0.00} found nothing", (double)r.Operations.Total.ReadMisses / r.Count)));
        Row("writes / webhook", ingest, r => PerItem(r.Operations.Total.Writes, r.Count, Writes(r.Operations.Total, r.Count)));
        Row("refused writes / webhook", ingest, r => PerItem(r.Operations.Total.Refused, r.Count, Refused(r.Operations.Total, r.Count), "0.000"));
        Row("point operations / webhook", ingest, r => ((double)r.Operations.Total.PointOperations / r.Count).ToString("0.00", C));
        Row("HTTP requests / webhook", ingest, r => Requests(r.Charges, r.Count));
        Row("RU / webhook", ingest, r => Units(r.Charges, r.Count));
        Row("outcomes", ingest, r => string.Join(", ", r.Statuses.OrderByDescending(s => s.Value).Select(s => string.Format(C, "{0} {1:N0}", s.Key, s.Value))));

        Section(string.Format(C, "Recompute: {0:N0} profiles, first run (none scored yet: every profile is written back)", options.Profiles));
        Row(string.Format(C, "load: upserts, {0} writers", RecomputePhase.LoadParallelism), recompute, r => string.Format(C, "{0:N0}/s ({1:0.0} s)", r.Loaded / r.LoadTime.TotalSeconds, r.LoadTime.TotalSeconds));
        Row("load RU / profile", recompute, r => Units(r.LoadCharges, r.Loaded));
        rows.Add(["  scan reads", .. targets.Select(t => t.ScanMethod)]);
        Row("scan: profiles read/s", recompute, r => string.Format(C, "{0:N0}/s ({1:0.0} s)", r.ScanPerSecond, r.ScanTime.TotalSeconds));
        Row("model fit + scoring", recompute, r => string.Format(C, "{0:0.0} s", r.ScoringTime.TotalSeconds));
        Row("written back", recompute, r => string.Format(C, "{0:N0} of {1:N0}", r.Run.Written, r.Run.Profiles));
        Row("write-back: profiles/s", recompute, r => double.IsNaN(r.WriteBackPerSecond) ? "none" : string.Format(C, "{0:N0}/s ({1:0.0} s)", r.WriteBackPerSecond, r.WriteBackTime.TotalSeconds));
        Row("total recompute time", recompute, r => string.Format(C, "{0:0.0} s", r.Elapsed.TotalSeconds));
        Row("scans (documents)", recompute, r => string.Format(C, "{0:N0} ({1:N0})", r.Operations.Total.Scans, r.Operations.Total.Scanned));
        Row("point reads", recompute, r => r.Operations.Total.PointReads.ToString("N0", C));
        Row("writes", recompute, r => string.Format(C, "{0:N0} ({1})", r.Operations.Total.Writes, Writes(r.Operations.Total, 1)));
        Row("refused writes", recompute, r => r.Operations.Total.Refused.ToString("N0", C));
        Row("HTTP requests", recompute, r => r.Charges is { } c
            ? string.Format(C, "{0:N0} ({1:N0} pages, {2:N0} point)", c.TotalRequests, c.Of(CosmosRequestKind.Query) + c.Of(CosmosRequestKind.ChangeFeed), c.Of(CosmosRequestKind.Document))
            : "n/a");
        Row("RU total / per profile", recompute, r => r.Charges is { Reported: true } c
            ? string.Format(C, "{0:N0} / {1:0.00}{2}", c.TotalCharge, c.TotalCharge / r.Run.Profiles, c.Flat ? " (flat 1 per request: placeholder)" : "")
            : Units(r.Charges, r.Run.Profiles));

        // Section titles run across the columns: they do not widen the first one.
        static bool IsSection(string[] row) => row.Skip(1).All(cell => cell.Length == 0);
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Where(r => !IsSection(r)).Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(IsSection(row)
                ? row[0]
                : string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
    }

    /// <summary>
    /// Writes store operations container by container, divided by <paramref name="per"/> (the webhooks of an
    /// ingestion; 1 for a recompute's totals).
    /// </summary>
    public static void WriteContainers(TextWriter output, string title, IReadOnlyList<IStoreTarget> targets, IReadOnlyList<StoreOperations> operations, IReadOnlyList<int> per)
    {
        output.WriteLine(title + " (reads: found + found nothing; writes: carried out; refused: 409/412/404):");
        for (var i = 0; i < targets.Count; i++)
        {
            double n = per[i];
            var format = per[i] == 1 ? "N0" : "0.00";
            string Of(long count, string? f = null) => (count / n).ToString(f ?? format, C);
            var parts = ContainerNames.All
                .Where(name => operations[i][name] is var o && (o.PointOperations > 0 || o.Scans > 0 || o.ChangeFeedReads > 0))
                .Select(name =>
                {
                    var o = operations[i][name];
                    var text = string.Format(C, "{0} reads {1} + {2}, writes {3}, refused {4}", name,
                        Of(o.Reads), Of(o.ReadMisses), Of(o.Writes), Of(o.Refused, per[i] == 1 ? "N0" : "0.000"));
                    if (o.Scans > 0)
                    {
                        text += string.Format(C, ", scans {0} ({1} documents)", Of(o.Scans, per[i] == 1 ? "N0" : "0.000"), Of(o.Scanned));
                    }

                    if (o.ChangeFeedReads > 0)
                    {
                        text += string.Format(C, ", change-feed pages {0} ({1} documents)", Of(o.ChangeFeedReads), Of(o.ChangeFeedDocuments));
                    }

                    return text;
                });
            output.WriteLine(string.Format(C, "  {0}: {1}", targets[i].Name, string.Join("; ", parts)));
        }
    }

    /// <summary>A request-unit figure: "n/a" without RUs, "not reported" when the server sends 0, and a note when every request cost exactly 1.</summary>
    public static string Units(RequestCharges? charges, int items) => charges switch
    {
        null => "n/a (no RUs)",
        { Reported: false } => "not reported",
        { Flat: true } => string.Format(C, "{0:0.00} (flat 1 per request: placeholder)", charges.TotalCharge / items),
        _ => (charges.TotalCharge / items).ToString("0.00", C),
    };

    private static string Requests(RequestCharges? charges, int items) => charges is null
        ? "n/a"
        : string.Format(C, "{0:0.00} ({1:0.00} document, {2:0.00} other)", (double)charges.TotalRequests / items,
            (double)charges.Of(CosmosRequestKind.Document) / items, (double)(charges.TotalRequests - charges.Of(CosmosRequestKind.Document)) / items);

    private static string PerItem(long count, int items, string detail, string format = "0.00") =>
        string.Format(C, "{0} ({1})", ((double)count / items).ToString(format, C), detail);

    private static string Writes(ContainerOperations o, int items)
    {
        var kinds = new (string Name, long Count)[] { ("create", o.Creates), ("replace", o.Replaces), ("upsert", o.Upserts), ("delete", o.Deletes) }
            .Where(k => k.Count > 0)
            .Select(k => items == 1 ? string.Format(C, "{0} {1:N0}", k.Name, k.Count) : string.Format(C, "{0} {1:0.00}", k.Name, (double)k.Count / items))
            .ToList();
        return kinds.Count == 0 ? "none" : string.Join(", ", kinds);
    }

    private static string Refused(ContainerOperations o, int items) =>
        string.Format(C, "409 {0:0.000}, 412 {1:0.000}, 404 {2:0.000}", (double)o.Conflicts / items, (double)o.PreconditionFailures / items, (double)o.WriteNotFound / items);
}
