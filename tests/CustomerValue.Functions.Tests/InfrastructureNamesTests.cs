using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Functions.ImportPosExport;
using CustomerValue.Functions.Functions.RecomputeCustomerValue;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Storage.Azure.Blobs;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// The names that must agree between infra/ and the code, cross-checked as text (BicepCompileTests compiles the
/// files): containers and partition keys, app settings, function names, the blob container, the lease container.
/// </summary>
public sealed partial class InfrastructureNamesTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly string MainBicep = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));
    private static readonly string CosmosBicep = File.ReadAllText(Path.Combine(Root, "infra", "modules", "cosmos.bicep"));
    private static readonly string EventGridBicep = File.ReadAllText(Path.Combine(Root, "infra", "eventgrid.bicep"));

    [Fact]
    public void CosmosContainers_AreTheStoresContainers_OnPkWithLeasesOnId()
    {
        var declared = QuotedListItems().Matches(CosmosBicep[CosmosBicep.IndexOf("var containers = [", StringComparison.Ordinal)..CosmosBicep.IndexOf(']', CosmosBicep.IndexOf("var containers = [", StringComparison.Ordinal))])
            .Select(m => m.Groups[1].Value)
            .Append(ContainerNames.Leases);

        Assert.Equal(ContainerNames.All.Order(), declared.Order());
        Assert.Contains("paths: [ '/pk' ]", CosmosBicep, StringComparison.Ordinal);
        Assert.Contains($"name: '{ContainerNames.Leases}'", CosmosBicep, StringComparison.Ordinal);
        Assert.Contains("paths: [ '/id' ]", CosmosBicep, StringComparison.Ordinal);
        Assert.Contains("'EnableServerless'", CosmosBicep, StringComparison.Ordinal);
        Assert.Contains("disableLocalAuth: true", CosmosBicep, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangeFeedTrigger_UsesTheProfilesAndLeasesContainersAndTheDatabaseSetting()
    {
        var trigger = Binding("PublishSegmentChanges");

        Assert.Equal(ContainerNames.Profiles, trigger.GetProperty("containerName").GetString());
        Assert.Equal(ContainerNames.Leases, trigger.GetProperty("leaseContainerName").GetString());
        Assert.False(trigger.GetProperty("createLeaseContainerIfNotExists").GetBoolean());
        Assert.Equal("%CosmosDb__DatabaseName%", trigger.GetProperty("databaseName").GetString());
        Assert.Contains("CosmosDb__DatabaseName: databaseName", MainBicep, StringComparison.Ordinal);
        Assert.Contains($"{trigger.GetProperty("connection").GetString()}__accountEndpoint:", MainBicep, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportTrigger_IsAnEventGridSubscriptionOfTheExportsContainerOnTheFunctionsResourceId()
    {
        var trigger = Binding(ImportPosExportFunction.Name);
        var storage = File.ReadAllText(Path.Combine(Root, "infra", "modules", "storage.bicep"));

        Assert.Equal("eventGridTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(ImportPosExportFunction.EventBinding, trigger.GetProperty("name").GetString());
        Assert.Contains($"var posExportsContainer = '{BlobPosExportStorage.ExportsContainer}'", MainBicep, StringComparison.Ordinal);
        Assert.Contains($"var posReportsContainer = '{BlobPosExportStorage.ReportsContainer}'", MainBicep, StringComparison.Ordinal);
        Assert.Contains("PosExportStorage__blobServiceUri:", MainBicep, StringComparison.Ordinal);
        Assert.Contains("topicType: 'Microsoft.Storage.StorageAccounts'", storage, StringComparison.Ordinal);
        Assert.Contains("endpointType: 'AzureFunction'", EventGridBicep, StringComparison.Ordinal);
        Assert.Contains($"resourceId: '${{app.id}}/functions/{ImportPosExportFunction.Name}'", EventGridBicep, StringComparison.Ordinal);
        Assert.Contains($"param posExportsContainer string = '{BlobPosExportStorage.ExportsContainer}'", EventGridBicep, StringComparison.Ordinal);
        Assert.Contains("subjectBeginsWith: '/blobServices/default/containers/${posExportsContainer}/blobs/'", EventGridBicep, StringComparison.Ordinal);
        Assert.Contains("'Microsoft.Storage.BlobCreated'", EventGridBicep, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", EventGridBicep, StringComparison.Ordinal);
    }

    [Fact]
    public void HostStorage_HasTablesAsInTheFlexSamples_AndEventGridUsesGaApiVersions()
    {
        var app = File.ReadAllText(Path.Combine(Root, "infra", "modules", "functionapp.bicep"));
        var roles = File.ReadAllText(Path.Combine(Root, "infra", "modules", "roles.bicep"));
        var storage = File.ReadAllText(Path.Combine(Root, "infra", "modules", "storage.bicep"));

        Assert.Contains("AzureWebJobsStorage__tableServiceUri: tableEndpoint", app, StringComparison.Ordinal);
        // Storage Table Data Contributor.
        Assert.Contains("storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'", roles, StringComparison.Ordinal);
        Assert.Contains("roleIds.storageTableDataContributor)", roles, StringComparison.Ordinal);
        var eventGridTypes = Regex.Matches(storage + EventGridBicep, @"'Microsoft\.EventGrid/[A-Za-z/]+@([0-9-]+[a-z-]*)'").Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(eventGridTypes);
        Assert.All(eventGridTypes, version => Assert.DoesNotContain("preview", version, StringComparison.Ordinal));
        // The system topic is created with the storage account's own location parameter.
        var topic = storage[storage.IndexOf("Microsoft.EventGrid/systemTopics", StringComparison.Ordinal)..];
        Assert.Contains("location: location", topic[..topic.IndexOf("\n}", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void SegmentChangeQueue_IsProvisionedWithTheNameAndSettingTheServerReadsAndASenderRole()
    {
        var roles = File.ReadAllText(Path.Combine(Root, "infra", "modules", "roles.bicep"));

        Assert.Contains($"var segmentChangesQueue = '{StorageQueueDestination.DefaultQueueName}'", MainBicep, StringComparison.Ordinal);
        Assert.Contains("queues: [segmentChangesQueue]", MainBicep, StringComparison.Ordinal);
        Assert.Contains($"{PublishingRegistration.ConnectionSetting}__queueServiceUri: storage.outputs.queueEndpoint", MainBicep, StringComparison.Ordinal);
        Assert.Contains($"{PublishingRegistration.ConnectionSetting}__QueueName: segmentChangesQueue", MainBicep, StringComparison.Ordinal);
        // Storage Queue Data Message Sender, scoped to the queue.
        Assert.Contains("storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'", roles, StringComparison.Ordinal);
        Assert.Contains("scope: segmentChanges", roles, StringComparison.Ordinal);
    }

    [Fact]
    public void TimerSchedule_ComesFromAnAppSettingWithTheSameDefaultAsLocalMode()
    {
        var trigger = Binding("RecomputeCustomerValue");
        var setting = trigger.GetProperty("schedule").GetString()!.Trim('%');

        Assert.Equal("RecomputeSchedule", setting);
        Assert.Contains($"{setting}: recomputeSchedule", MainBicep, StringComparison.Ordinal);
        Assert.Contains($"param recomputeSchedule string = '{RecomputeSchedule.DefaultExpression}'", MainBicep, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookSecrets_AreAppSettingsForTheConfigurationKeysTheServerBinds()
    {
        foreach (var platform in new[] { "Shopify", "WooCommerce", "Events" })
        {
            Assert.Matches($@"Webhooks__{platform}__Secret: '@Microsoft\.KeyVault\(", MainBicep);
        }
    }

    [Fact]
    public void WebhookSecrets_LeftEmpty_AreGeneratedFromASeedTheTemplateCannotKnow_AndTheirVaultUrisAreOutputs()
    {
        var parameters = File.ReadAllText(Path.Combine(Root, "infra", "main.parameters.json"));
        var seed = MainBicep[MainBicep.IndexOf("@description('Random seed", StringComparison.Ordinal)..MainBicep.IndexOf("param secretSeed string", StringComparison.Ordinal)];

        Assert.Contains("param secretSeed string\n", MainBicep.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("@secure()", seed, StringComparison.Ordinal);
        Assert.Contains("@minLength(32)", seed, StringComparison.Ordinal);
        Assert.Contains("type: 'generate'", seed, StringComparison.Ordinal);
        Assert.DoesNotContain("secretSeed", parameters, StringComparison.Ordinal);
        Assert.Contains("'woocommerce-secret': empty(wooCommerceSecret) ? generatedSecrets.wooCommerce : wooCommerceSecret", MainBicep, StringComparison.Ordinal);
        Assert.Contains("'events-secret': empty(eventsSecret) ? generatedSecrets.events : eventsSecret", MainBicep, StringComparison.Ordinal);
        Assert.Contains("events: 'whsec_${base64(", MainBicep, StringComparison.Ordinal);
        foreach (var output in new[] { "WOOCOMMERCE_SECRET_URI", "EVENTS_SECRET_URI", "SHOPIFY_SECRET_URI" })
        {
            Assert.Contains($"output {output} string", MainBicep, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FunctionApp_RunsTheCustomHandlerOnFlexConsumption()
    {
        var app = File.ReadAllText(Path.Combine(Root, "infra", "modules", "functionapp.bicep"));

        Assert.Contains("tier: 'FlexConsumption'", app, StringComparison.Ordinal);
        Assert.Contains("name: 'custom'", app, StringComparison.Ordinal);
        Assert.Contains("type: 'SystemAssigned'", app, StringComparison.Ordinal);
        Assert.Contains("'azd-service-name': 'functions'", app, StringComparison.Ordinal);
        Assert.Contains("  functions:", File.ReadAllText(Path.Combine(Root, "infra", "azure.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DefaultsToFlexConsumption_AndOffersElasticPremiumEP1OnLinuxWithTheCustomRuntime()
    {
        var app = File.ReadAllText(Path.Combine(Root, "infra", "modules", "functionapp.bicep"));
        var parameters = File.ReadAllText(Path.Combine(Root, "infra", "main.parameters.json"));

        Assert.Contains("@allowed([ 'FlexConsumption', 'ElasticPremium' ])\nparam plan string = 'FlexConsumption'", MainBicep.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("plan: plan", MainBicep, StringComparison.Ordinal);
        Assert.Contains("\"plan\": { \"value\": \"${FUNCTIONS_PLAN=FlexConsumption}\" }", parameters, StringComparison.Ordinal);
        Assert.Contains("tier: 'ElasticPremium'\n  name: 'EP1'", app.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("kind: flex ? 'functionapp' : 'elastic'", app, StringComparison.Ordinal);
        Assert.Contains("reserved: true", app, StringComparison.Ordinal);
        Assert.Contains("FUNCTIONS_WORKER_RUNTIME: 'custom'", app, StringComparison.Ordinal);
        Assert.Contains("kind: 'functionapp,linux'", app, StringComparison.Ordinal);
    }

    [Fact]
    public void AzdUp_DeploysTheZipOfThePackageCommand_AndNeedsAnAzdThatKeepsPermissions()
    {
        var azure = File.ReadAllText(Path.Combine(Root, "infra", "azure.yaml")).ReplaceLineEndings("\n");
        const string Zip = "../functions/CustomerValue.Functions/bin/customervalue-functions.zip";

        Assert.Contains("requiredVersions:\n  azd: \">= 1.26.0\"", azure, StringComparison.Ordinal);
        Assert.Contains($"- azd: deploy functions --from-package {Zip}", azure, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(azure, @"dotnet run --project \.\./functions/CustomerValue\.Cli -c Release --\s+package --publish-dir \.\./functions/CustomerValue\.Functions/bin/publish\s+--out " + Regex.Escape(Zip)));
        Assert.Contains("--template-file eventgrid.bicep", azure, StringComparison.Ordinal);
    }

    private static JsonElement Binding(string function)
    {
        var path = Path.Combine(Root, "functions", "CustomerValue.Functions", "Functions", function, "function.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("bindings")[0].Clone();
    }

    [GeneratedRegex(@"'([a-z-]+)'")]
    private static partial Regex QuotedListItems();

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CustomerValue.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
