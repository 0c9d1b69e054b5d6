using CustomerValue.Functions.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// What a memory release covers besides the managed heap: the store's caches (through the callback) and the C heap
/// (glibc, where the server runs on Linux).
/// </summary>
public sealed class MemoryReleaseTests
{
    [Fact]
    public async Task LongInvocation_WhenItEnds_ReleasesTheStoreCachesToo()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var memory = new MemoryRelease(Settings(releaseAfterSeconds: 1), NullLogger<MemoryRelease>.Instance, () => released.TrySetResult());

        using (memory.Track("RecomputeCustomerValue"))
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2));
        }

        await released.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(SpinWait.SpinUntil(() => memory.Releases == 1, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task ShortInvocation_ReleasesNothing()
    {
        int calls = 0;
        using var memory = new MemoryRelease(Settings(releaseAfterSeconds: 30), NullLogger<MemoryRelease>.Instance, () => Interlocked.Increment(ref calls));

        using (memory.Track("IngestShopWebhook"))
        {
        }

        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref calls));
        Assert.Equal(0, memory.Releases);
    }

    [Fact]
    public void StoreCaches_ThatFailToRelease_DoNotStopTheRelease()
    {
        using var memory = new MemoryRelease(Settings(releaseAfterSeconds: 1), NullLogger<MemoryRelease>.Instance, () => throw new ObjectDisposedException("store"));

        using (memory.Track("ImportPosExport"))
        {
            Thread.Sleep(TimeSpan.FromSeconds(1.2));
        }

        Assert.True(SpinWait.SpinUntil(() => memory.Releases == 1, TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData(0, 600, 100, "a quiet moment after much allocation")]
    [InlineData(0, 100, 1, "the server went idle")]
    [InlineData(0, 100, 50, null)] // still busy: webhooks keep allocating
    [InlineData(0, 10, 0, null)] // idle, but too little since the last release to be worth a collection
    [InlineData(1, 600, 0, null)] // an invocation runs: it releases when it ends, if it ran long
    public void QuietCheck_ReleasesAfterMuchAllocation_OrWhenTheServerWentIdleAfterSome(int running, long sinceReleaseMb, long sinceTickMb, string? reason) =>
        Assert.Equal(reason, MemoryRelease.QuietReason(running, sinceReleaseMb * 1024 * 1024, sinceTickMb * 1024 * 1024));

    [Fact]
    public void CHeap_OnLinux_IsMeasuredAndTrimmed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // glibc only; the server runs on Linux
        }

        var buffers = Enumerable.Range(0, 64).Select(_ => System.Runtime.InteropServices.Marshal.AllocHGlobal(64 * 1024)).ToList();
        var usage = NativeHeap.Usage();
        buffers.ForEach(System.Runtime.InteropServices.Marshal.FreeHGlobal);

        Assert.NotNull(usage);
        Assert.True(usage.Value.InUse >= 64 * 64 * 1024, $"C heap in use {usage.Value.InUse} bytes while 4 MB were allocated");
        NativeHeap.Trim(); // must not throw; whether glibc had anything to give back depends on the process
    }

    private static IConfiguration Settings(int releaseAfterSeconds) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Memory:ReleaseAfterSeconds"] = releaseAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }).Build();
}
