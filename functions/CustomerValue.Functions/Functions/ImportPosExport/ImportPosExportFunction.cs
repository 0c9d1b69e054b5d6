using CustomerValue.Functions.Host;

using CustomerValue.Application.PosImports;

namespace CustomerValue.Functions.Functions.ImportPosExport;

/// <summary>
/// Blob trigger on <c>pos-exports/{name}</c> (Event Grid source). The host inlines the blob's content in the
/// invocation, but only up to its 100 MB request cap; the handler ignores it and streams the blob by the name in
/// <c>Metadata.name</c> instead.
/// </summary>
public static class ImportPosExportFunction
{
    /// <summary>The function (and folder, and route) name.</summary>
    public const string Name = "ImportPosExport";

    /// <summary>Maps <c>POST /ImportPosExport</c>.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, (invocation, services, ct) =>
        HandleAsync(invocation, services.GetRequiredService<PosExportImporter>(), ct));

    /// <summary>Reads the blob name and imports the export.</summary>
    public static async Task<InvocationOutcome> HandleAsync(FunctionInvocation invocation, PosExportImporter importer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(importer);
        var name = invocation.MetadataString("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return InvocationOutcome.BadRequest("Metadata.name is missing: the blob trigger must pass the export's name.");
        }

        if (!IsExportName(name))
        {
            return InvocationOutcome.BadRequest($"Metadata.name '{name}' is not a blob name inside the exports container.");
        }

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
