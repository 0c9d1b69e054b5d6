using CustomerValue.Application.PosImports;
using CustomerValue.Identity.Normalization;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Exports;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>Builds a POS importer over a given store and export storage, wired as the server wires it.</summary>
internal static class ImportHarness
{
    public static PosExportImporter Importer(IPosExportStorage exports, IDocumentStore store, PosExportSettings? settings = null)
    {
        settings ??= new PosExportSettings();
        var normalizer = new IdentityNormalizer(new IdentityOptions { DefaultRegion = "US" });
        var profiles = new ProfileRepository(store);
        var links = new IdentityLinkIndex(store, IdentityLookupIds.FromText(new string('k', IdentityLookupIds.MinKeyBytes)));
        var resolver = new ProfileResolver(profiles, links, new ProfileMerger(profiles, links, TimeProvider.System), normalizer, TimeProvider.System);
        return new PosExportImporter(exports, new ProfileBatchApplier(resolver, normalizer), store,
            new PosLayoutCatalog(settings), settings, TimeProvider.System, NullLogger<PosExportImporter>.Instance);
    }
}
