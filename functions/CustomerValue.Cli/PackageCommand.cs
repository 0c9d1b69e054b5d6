using System.CommandLine;
using System.IO.Compression;

namespace CustomerValue.Cli;

/// <summary>
/// <c>package</c>: zips a published function app root (the output of <c>dotnet publish</c>) into the deployment
/// package that Flex Consumption and <c>az functionapp deployment source config-zip</c> take. Each entry keeps the
/// file's Unix permissions, so the handler executable stays executable on the Linux worker.
/// </summary>
public static class PackageCommand
{
    /// <summary>Where <c>dotnet publish</c> of the server writes the app root by default.</summary>
    public const string DefaultPublishDir = "functions/CustomerValue.Functions/bin/publish";

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var from = new Option<string>("--publish-dir") { Description = "The published function app root.", DefaultValueFactory = _ => DefaultPublishDir };
        var output = new Option<string>("--out") { Description = "The zip to write.", DefaultValueFactory = _ => "customervalue-functions.zip" };
        var command = new Command("package", "Zip a published function app root (dotnet publish functions/CustomerValue.Functions -c Release) for deployment, keeping the executable bit.")
        {
            from, output,
        };
        CliAction.Set(command, (parse, stdout, _, _) =>
        {
            var root = Path.GetFullPath(parse.GetValue(from)!);
            if (!File.Exists(Path.Combine(root, "host.json")))
            {
                throw new CliInputException($"{root} is not a function app root (no host.json): run `dotnet publish functions/CustomerValue.Functions -c Release` first.");
            }

            var zip = Path.GetFullPath(parse.GetValue(output)!);
            var files = Write(root, zip);
            stdout.WriteLine($"package: {files} files from {root} -> {zip}");
            return 0;
        });
        return command;
    }

    /// <summary>Writes the zip; returns the number of files.</summary>
    public static int Write(string root, string zipPath)
    {
        File.Delete(zipPath);
        using var archive = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFullPath(file) == zipPath)
            {
                continue;
            }

            var entry = archive.CreateEntryFromFile(file, Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'), CompressionLevel.Optimal);
            if (!OperatingSystem.IsWindows())
            {
                // Unix mode in the high 16 bits of the external attributes, with the regular-file type bits (0x8000).
                entry.ExternalAttributes = (0x8000 | (int)File.GetUnixFileMode(file)) << 16;
            }

            count++;
        }

        return count;
    }
}
