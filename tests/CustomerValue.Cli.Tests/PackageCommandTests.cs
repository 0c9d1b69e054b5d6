using System.IO.Compression;

namespace CustomerValue.Cli.Tests;

public sealed class PackageCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "cv-package-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Package_ZipsTheAppRoot_KeepingTheExecutableBit()
    {
        var root = Path.Combine(_folder, "publish");
        Directory.CreateDirectory(Path.Combine(root, "ImportPosExport"));
        await File.WriteAllTextAsync(Path.Combine(root, "host.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(root, "ImportPosExport", "function.json"), "{}");
        var executable = Path.Combine(root, "CustomerValue.Functions");
        await File.WriteAllTextAsync(executable, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var zip = Path.Combine(_folder, "app.zip");

        var result = await Cli.RunAsync("package", "--publish-dir", root, "--out", zip);

        Assert.Equal(0, result.ExitCode);
        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(["CustomerValue.Functions", "ImportPosExport/function.json", "host.json"], archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            var mode = (archive.GetEntry("CustomerValue.Functions")!.ExternalAttributes >> 16) & 0x1FF;
            Assert.Equal(0b111_101_101, mode);
            Assert.Equal(0, (archive.GetEntry("host.json")!.ExternalAttributes >> 16) & 0b001_001_001);
        }
    }

    [Fact]
    public async Task Package_MarksTheHandlerNamedInHostJsonExecutable_EvenWhenTheFileOnDiskIsNot()
    {
        // What a publish on Windows (or a copy through a file system without permission bits) hands over.
        var root = Path.Combine(_folder, "publish-no-bits");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "host.json"), """{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"CustomerValue.Functions"}}}""");
        var executable = Path.Combine(root, "CustomerValue.Functions");
        await File.WriteAllTextAsync(executable, "ELF");
        await File.WriteAllTextAsync(Path.Combine(root, "CustomerValue.Functions.dll"), "MZ");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetUnixFileMode(Path.Combine(root, "CustomerValue.Functions.dll"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var zip = Path.Combine(_folder, "no-bits.zip");

        var result = await Cli.RunAsync("package", "--publish-dir", root, "--out", zip);

        Assert.Equal(0, result.ExitCode);
        using var archive = ZipFile.OpenRead(zip);
        var handler = archive.GetEntry("CustomerValue.Functions")!.ExternalAttributes >> 16;
        Assert.Equal(0x8000, handler & 0xF000);
        Assert.Equal(0b111_101_101, handler & 0x1FF);
        Assert.Equal(0, (archive.GetEntry("CustomerValue.Functions.dll")!.ExternalAttributes >> 16) & 0b001_001_001);
    }

    [Fact]
    public async Task Package_WithoutAPublishedRoot_SaysToPublishFirst()
    {
        var result = await Cli.RunAsync("package", "--publish-dir", _folder, "--out", Path.Combine(Path.GetTempPath(), "never.zip"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("dotnet publish", result.Error, StringComparison.Ordinal);
    }
}
