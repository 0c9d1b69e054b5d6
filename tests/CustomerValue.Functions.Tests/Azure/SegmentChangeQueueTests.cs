using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using CustomerValue.Domain.Segments;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Publishing.Destinations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests.Azure;

/// <summary>
/// The durable destination on Azure: each segment change is one base64 JSON message on the <c>segment-changes</c>
/// queue (Azurite's Queue service here), written by the publisher when <c>SegmentChanges</c> is configured.
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(AzuriteQueueCollection.Name)]
public sealed class SegmentChangeQueueTests(AzuriteQueueFixture azurite)
{
    [Fact]
    public async Task Deliver_SendsEachChangeAsOneBase64JsonMessage_ThatNeverExpires()
    {
        var queue = azurite.CreateQueue();
        var destination = new StorageQueueDestination(queue);
        await destination.EnsureQueueAsync();
        var at = new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);

        await destination.DeliverAsync([
            new SegmentChange { EventId = "ev-1", Kind = SegmentChangeKind.Joined, Segment = "top-20", ProfileId = "cp-1", RunId = "run-1", OccurredAt = at, PredictedClv = 812.5m },
            new SegmentChange { EventId = "ev-2", Kind = SegmentChangeKind.Left, Segment = "dormant", ProfileId = "cp-1", RunId = "run-1", OccurredAt = at },
        ]);

        var messages = (await queue.ReceiveMessagesAsync(maxMessages: 10)).Value;
        Assert.Equal(2, messages.Length);
        var changes = messages.Select(m => JsonDocument.Parse(Convert.FromBase64String(m.MessageText)).RootElement).OrderBy(e => e.GetProperty("eventId").GetString(), StringComparer.Ordinal).ToArray();
        Assert.Equal("joined", changes[0].GetProperty("kind").GetString());
        Assert.Equal("top-20", changes[0].GetProperty("segment").GetString());
        Assert.Equal(812.5m, changes[0].GetProperty("predictedClv").GetDecimal());
        Assert.Equal("left", changes[1].GetProperty("kind").GetString());
        Assert.All(messages, m => Assert.True(m.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"message expires on {m.ExpiresOn}"));
        Assert.Equal("queue:" + queue.Name, destination.Name);
    }

    [Fact]
    public async Task Publisher_WithTheQueueConfigured_WritesTheChangesThereAndNoOutboxFile()
    {
        var queueName = azurite.CreateQueue().Name;
        await using var server = await RunningServer.StartAsync(settings: new Dictionary<string, string?>
        {
            [PublishingRegistration.ConnectionSetting] = azurite.ConnectionString,
            [$"{PublishingRegistration.ConnectionSetting}:QueueName"] = queueName,
        });

        using var response = await server.InvokeAsync("PublishSegmentChanges", Fixtures.Read("Host/cosmos-string.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var queue = new QueueClient(azurite.ConnectionString, queueName);
        var messages = (await queue.ReceiveMessagesAsync(maxMessages: 10)).Value;
        Assert.Equal(2, messages.Length);
        Assert.All(messages, m => Assert.Contains("\"kind\":\"joined\"", Encoding.UTF8.GetString(Convert.FromBase64String(m.MessageText)), StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(server.DataDir, "outbox", OutboxFileDestination.FileName)), "the outbox file is only the local destination");
    }

    [Fact]
    public void Registration_UnderTheFunctionsHostWithoutAQueue_RefusesToStartNamingTheSetting()
    {
        var settings = new ServerSettings { DataDir = Path.GetTempPath(), LocalMode = false, Hosted = true };

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSegmentPublishing(new ConfigurationBuilder().Build(), settings));

        Assert.Contains("SegmentChanges__queueServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_WithAQueueServiceUri_UsesTheQueueUnderManagedIdentity()
    {
        var settings = new ServerSettings { DataDir = Path.GetTempPath(), LocalMode = false, Hosted = true };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SegmentChanges:queueServiceUri"] = "https://stcvdemo.queue.core.windows.net/",
        }).Build();

        using var provider = new ServiceCollection().AddSegmentPublishing(configuration, settings).BuildServiceProvider();

        var destination = Assert.Single(provider.GetServices<ISegmentDestination>());
        Assert.Equal("queue:" + StorageQueueDestination.DefaultQueueName, destination.Name);
    }
}
