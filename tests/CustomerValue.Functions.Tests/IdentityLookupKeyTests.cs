using CustomerValue.Domain.Identities;
using CustomerValue.Functions.Configuration;
using CustomerValue.Identity.Profiles;
using Microsoft.Extensions.Configuration;

namespace CustomerValue.Functions.Tests;

/// <summary>The lookup-id key: configured in Azure, generated once in the data folder locally.</summary>
public sealed class IdentityLookupKeyTests : IDisposable
{
    private static readonly IdentityKey Phone = new(IdentityKind.Phone, "+14155552671");
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "cv-lookup-key-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public void WithoutASetting_AKeyIsGeneratedOnceInTheDataFolder_AndTheSameOneIsUsedAfterARestart()
    {
        var first = IdentityLookupKey.Load(Configuration(), Settings());
        var keyFile = Path.Combine(_dataDir, IdentityLookupKey.FileName);
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        var afterRestart = IdentityLookupKey.Load(Configuration(), Settings());

        Assert.Equal(first.For(Phone), afterRestart.For(Phone));
        Assert.NotEqual(Phone.LookupId, first.For(Phone));
    }

    [Fact]
    public void TheSetting_WinsOverTheDataFolder()
    {
        var key = IdentityLookupIds.NewKeyText();

        var ids = IdentityLookupKey.Load(Configuration(key), Settings());

        Assert.Equal(IdentityLookupIds.FromText(key).For(Phone), ids.For(Phone));
        Assert.False(File.Exists(Path.Combine(_dataDir, IdentityLookupKey.FileName)));
    }

    private ServerSettings Settings() => new() { DataDir = _dataDir, LocalMode = true };

    private static IConfiguration Configuration(string? key = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [IdentityLookupKey.SettingName] = key }).Build();
}
