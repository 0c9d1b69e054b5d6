using System.ComponentModel;
using System.Diagnostics;

namespace CustomerValue.LocalServers;

/// <summary>Runs node and npm, the only tools the local servers need besides .NET.</summary>
internal static class NodeTools
{
    /// <summary>The node executable, found on PATH.</summary>
    public static string Node => OperatingSystem.IsWindows() ? "node.exe" : "node";

    /// <summary>The npm executable, found on PATH (a batch file on Windows, which Process.Start finds only by its full name).</summary>
    public static string Npm => OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    /// <summary>Starts <paramref name="start"/>; a missing tool becomes a <see cref="LocalServerException"/> that says what to install.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new LocalServerException($"Could not start {start.FileName}.");
        }
        catch (Win32Exception ex)
        {
            // The usual cause on a fresh machine: Node.js is not installed, and the OS error alone does not say so.
            throw new LocalServerException($"Could not start {start.FileName} (is Node.js with npm installed and on PATH?): {ex.Message}", ex);
        }
    }
}
