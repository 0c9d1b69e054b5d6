using System.Globalization;
using CustomerValue.Domain.Profiles;
using CustomerValue.Functions.Configuration;
using CustomerValue.Application.PosImports;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Cli.Demo;

/// <summary>Prints what the demo pipeline produced, reading it back from the store and the outbox.</summary>
public static class DemoSummary
{
    /// <summary>Prints the summary.</summary>
    public static async Task PrintAsync(TextWriter output, IServiceProvider services, Uri baseAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<IDocumentStore>();
        var settings = services.GetRequiredService<ServerSettings>();
        var culture = CultureInfo.InvariantCulture;

        var profiles = new List<CustomerProfile>();
        var redirects = 0;
        await foreach (var document in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles, cancellationToken))
        {
            if (document.Body.IsRedirect)
            {
                redirects++;
            }
            else
            {
                profiles.Add(document.Body);
            }
        }

        var omnichannel = profiles.Count(p => p.Channels.Contains(SalesChannel.Store) && p.Channels.Count > 1);
        output.WriteLine($"Profiles: {profiles.Count:N0} people ({omnichannel:N0} buy both online and in store; {redirects:N0} duplicate profiles merged into them)");

        long read = 0, accepted = 0, duplicates = 0, anonymous = 0, quarantined = 0;
        // The imports container also holds quarantine chunks of imports under way: only reports carry the counts.
        await foreach (var document in store.ScanAsync<System.Text.Json.Nodes.JsonObject>(ContainerNames.Imports, cancellationToken))
        {
            if (document.Body["read"] is null || document.Body["accepted"] is null)
            {
                continue;
            }

            var import = DocumentJson.Deserialize<PosImportReport>(document.Body.ToJsonString());
            (read, accepted, duplicates, anonymous, quarantined) = (read + import.Read, accepted + import.Accepted,
                duplicates + import.Duplicates, anonymous + import.Anonymous, quarantined + import.Quarantined);
        }

        output.WriteLine($"POS rows: {read:N0} read = {accepted:N0} accepted + {duplicates:N0} duplicates + {anonymous:N0} anonymous + {quarantined:N0} quarantined");

        var acquisition = profiles.Where(p => p.AcquisitionChannel is not null).GroupBy(p => p.AcquisitionChannel!)
            .Select(g => (Channel: g.Key, Customers: g.Count(), Value: g.Sum(p => p.NetRevenue) / g.Count()))
            .OrderByDescending(g => g.Value).ToList();
        output.WriteLine("Acquisition channels (net revenue per customer): " + string.Join(", ", acquisition.Select(a => string.Create(culture, $"{a.Channel} {a.Value:N0} ({a.Customers})"))));

        var summary = await store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId, cancellationToken);
        output.WriteLine();
        var run = summary is null ? null : await store.ReadAsync<RecomputeRun>(ContainerNames.Runs, summary.Body.RunId, summary.Body.RunId, cancellationToken);
        output.WriteLine($"Segments ({summary?.Body.RunId ?? "no run yet"}; values by {run?.Body.Model?.Method ?? "net spend"}):");
        foreach (var fit in run?.Body.Model?.Fits ?? [])
        {
            output.WriteLine($"  {fit.Model}: " + string.Join(", ", fit.Parameters.Select(p => string.Create(culture, $"{p.Key} = {p.Value:G4}")))
                + string.Create(culture, $"  ({fit.Status}, log-likelihood {fit.LogLikelihood:F1}, {fit.Observations:N0} customers, {fit.FitSeconds * 1000:F0} ms)"));
        }

        if (run?.Body.Model?.Comparison is { } choice)
        {
            output.WriteLine(string.Create(culture, $"  model choice by holdout ({choice.CalibrationEnd:yyyy-MM-dd} → {choice.HoldoutEnd:yyyy-MM-dd}): ")
                + string.Join(", ", choice.Models.Select(m => m.MeanAbsoluteError is { } mae ? string.Create(culture, $"{m.Model} MAE {mae:0.0000}") : $"{m.Model} not fitted"))
                + $" → {choice.Winner ?? "none"}");
        }

        foreach (var segment in summary?.Body.Segments ?? [])
        {
            output.WriteLine(string.Create(culture, $"  {segment.Name,-12} {segment.Size,7:N0} customers  net revenue {segment.NetRevenue,12:N2}  avg 12-month CLV {segment.AverageValue,9:N2}  {segment.Description}"));
        }

        await DemoSegmentTables.PrintAsync(output, services, cancellationToken);

        output.WriteLine();
        output.WriteLine("Top customers:");
        foreach (var profile in profiles.OrderByDescending(p => p.Value?.RankingValue ?? 0m).ThenBy(p => p.Id, StringComparer.Ordinal).Take(5))
        {
            var name = $"{profile.FirstName} {profile.LastName?[..1]}.";
            output.WriteLine(string.Create(culture,
                $"  {profile.Id}  {name,-14} {profile.Orders,3} orders  net {profile.NetRevenue,9:N2}  refunds {profile.Refunds,8:N2}  12-month CLV {profile.Value?.PredictedClv,9:N2}  P(alive) {profile.Value?.PAlive,5:P0}  next order {profile.Value?.ExpectedNextOrderAt:yyyy-MM-dd}  {string.Join('+', profile.Channels)}  via {profile.AcquisitionChannel ?? "unknown"}"));
        }

        var outbox = services.GetServices<ISegmentDestination>().OfType<OutboxFileDestination>().FirstOrDefault();
        var lines = outbox is not null && File.Exists(outbox.FilePath) ? File.ReadLines(outbox.FilePath).Count() : 0;
        output.WriteLine();
        output.WriteLine($"Segment changes published: {lines:N0} events in {outbox?.FilePath}");
        if (lines > 0)
        {
            output.WriteLine("  e.g. " + File.ReadLines(outbox!.FilePath).First());
        }

        output.WriteLine($"Data folder: {settings.DataDir}  (store customervalue.db, inbox pos-exports/, reports pos-exports-reports/, outbox outbox/)");
        var top = profiles.OrderByDescending(p => p.Value?.RankingValue ?? 0m).FirstOrDefault();
        output.WriteLine($"Try: curl {new Uri(baseAddress, "/api/segments")}");
        if (top is not null)
        {
            output.WriteLine($"     curl {new Uri(baseAddress, "/api/profiles/" + top.Id)}");
        }
    }
}
