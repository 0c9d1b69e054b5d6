using System.Text.Json;
using CustomerValue.Application.PosImports;
using CustomerValue.Functions.Host;
using CustomerValue.Storage.Azure.Blobs;

namespace CustomerValue.Functions.Functions.ImportPosExport;

/// <summary>
/// Event Grid trigger on the storage account's <c>Microsoft.Storage.BlobCreated</c> events for
/// <c>pos-exports</c>. The event names the blob and carries no content, so an export of any size is a small
/// invocation; the handler streams the blob by name. (A blob trigger would make the host read the whole blob into
/// the invocation, which fails for exports above the handler's request limit.)
/// </summary>
public static class ImportPosExportFunction
{
    /// <summary>The function (and folder, and route) name.</summary>
    public const string Name = "ImportPosExport";

    /// <summary>The trigger binding's name in function.json.</summary>
    public const string EventBinding = "event";

    /// <summary>Maps <c>POST /ImportPosExport</c>.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, (invocation, services, ct) =>
        HandleAsync(invocation, services.GetRequiredService<PosExportImporter>(), ct));

    /// <summary>
    /// Reads the event and imports the export it names. Events of other types are acknowledged (200) and ignored; an
    /// event naming another container or an unsafe name is malformed (400 naming the problem): retrying cannot help.
    /// </summary>
    public static async Task<InvocationOutcome> HandleAsync(FunctionInvocation invocation, PosExportImporter importer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(importer);
        if (invocation.Binding(EventBinding) is not { } raw)
        {
            return InvocationOutcome.BadRequest($"Data.{EventBinding} is missing: expected the Event Grid event of the upload.");
        }

        // The host sends the event as a JSON-encoded string; an object, or a string holding such a string, is accepted too.
        var evt = BindingValue.AsJson(raw, out var error);
        if (evt is not { ValueKind: JsonValueKind.Object } eventObject)
        {
            return InvocationOutcome.BadRequest(error ?? $"Data.{EventBinding} must hold the event object, not {evt?.ValueKind}.");
        }

        var blobEvent = BlobCreatedEvent.Read(eventObject, BlobPosExportStorage.ExportsContainer);
        switch (blobEvent.Verdict)
        {
            case BlobEventVerdict.Ignore:
                return InvocationOutcome.Ok(new { status = "ignored", reason = blobEvent.Message }, blobEvent.Message);
            case BlobEventVerdict.Reject:
                return InvocationOutcome.BadRequest(blobEvent.Message);
        }

        var name = blobEvent.BlobName!;
        var report = await importer.ImportAsync(name, cancellationToken);
        if (report is null)
        {
            return InvocationOutcome.Ok(new { name, status = "missing" }, $"POS export {name} no longer exists or was replaced; nothing imported for this upload.");
        }

        return InvocationOutcome.Ok(report,
            $"POS export {name} ({report.Layout}): {report.Status}; {report.Read} read = {report.Accepted} accepted + {report.Duplicates} duplicates + {report.Anonymous} anonymous + {report.Quarantined} quarantined + {report.Skipped} skipped.");
    }

    /// <summary>
    /// True for a name inside the exports container: relative, with no empty, <c>.</c> or <c>..</c> segment and no
    /// backslash. Checked per segment, because <c>..</c> inside a segment (<c>a..b.csv</c>) is a legal blob name, and
    /// refusing it made the trigger retry the upload forever.
    /// </summary>
    public static bool IsExportName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return !name.Contains('\\', StringComparison.Ordinal)
            && name.Split('/').All(segment => segment.Length > 0 && segment is not "." and not "..");
    }
}
