using System.CommandLine;
using System.IO.Compression;
using System.Text.Json;

namespace CustomerValue.Cli;

/// <summary>
/// <c>package</c>: zips a published function app root (the output of <c>dotnet publish</c>) into the deployment
/// package that Flex Consumption, <c>azd deploy --from-package</c> and <c>az functionapp deployment source config-zip</c>
/// take. Each entry keeps the file's Unix permissions, and the handler named in host.json
/// (<c>customHandler.description.defaultExecutablePath</c>) is marked executable whatever the disk said: on Windows, or
/// on a file system without permission bits, the file has none to keep, and without the bit the Linux worker cannot
/// start the handler.
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

    // rwxr-xr-x and rw-r--r--: what a Linux publish gives the handler and every other file.
    private const int ExecutableMode = 0b111_101_101;
    private const int RegularMode = 0b110_100_100;

    /// <summary>Writes the zip; returns the number of files.</summary>
    public static int Write(string root, string zipPath)
    {
        var handler = HandlerPath(root);
        File.Delete(zipPath);
        using var archive = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFullPath(file) == zipPath)
            {
                continue;
            }

            var name = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            var entry = archive.CreateEntryFromFile(file, name, CompressionLevel.Optimal);
            var mode = OperatingSystem.IsWindows() ? RegularMode : (int)File.GetUnixFileMode(file);
            if (string.Equals(name, handler, StringComparison.Ordinal))
            {
                mode |= ExecutableMode;
            }

            // Unix mode in the high 16 bits of the external attributes, with the regular-file type bits (0x8000).
            entry.ExternalAttributes = (0x8000 | mode) << 16;

            count++;
        }

        return count;
    }

    /// <summary>The handler's path inside the app root, from host.json; null when host.json names none.</summary>
    private static string? HandlerPath(string root)
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "host.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return hostJson.RootElement.TryGetProperty("customHandler", out var handler)
            && handler.TryGetProperty("description", out var description)
            && description.TryGetProperty("defaultExecutablePath", out var path)
            && path.ValueKind == JsonValueKind.String
                ? RelativeName(path.GetString()!)
                : null;
    }

    private static string RelativeName(string path)
    {
        var name = path.Replace('\\', '/');
        return name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
    }
}
