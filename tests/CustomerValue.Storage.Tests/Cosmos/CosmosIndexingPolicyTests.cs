using CustomerValue.Storage.Azure.Cosmos;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Storage.Tests.Cosmos;

/// <summary>What the store indexes on containers it creates: the partition key, and the arrays it queries by value.</summary>
public sealed class CosmosIndexingPolicyTests
{
    [Fact]
    public void Profiles_IndexTheirSegments_SoSegmentMembersAreAnIndexLookup()
    {
        var policy = CosmosDocumentStore.ContainerPropertiesOf(ContainerNames.Profiles).IndexingPolicy;

        Assert.Equal(["/pk/?", "/segments/[]/?"], policy.IncludedPaths.Select(p => p.Path));
        Assert.Equal(["/*"], policy.ExcludedPaths.Select(p => p.Path));
    }

    [Theory]
    [InlineData(ContainerNames.Orders)]
    [InlineData(ContainerNames.Identities)]
    public void OtherContainers_IndexOnlyThePartitionKey(string container)
    {
        var policy = CosmosDocumentStore.ContainerPropertiesOf(container).IndexingPolicy;

        Assert.Equal(["/pk/?"], policy.IncludedPaths.Select(p => p.Path));
    }
}
