using System.Runtime.InteropServices;

namespace CustomerValue.Functions.Host;

/// <summary>
/// The C heap (glibc malloc) under the managed one: SQLite's page caches and statements, the runtime's own native
/// allocations and the crypto library live there, outside what the garbage collector sees. Measured in <c>bench
/// soak</c>, it, not the managed heap, held most of the memory left after imports and recomputes: glibc gives every
/// thread that mallocs concurrently its own arena (up to 8 per core), each keeps the pages freed in it, and SQLite is
/// called from whichever thread-pool thread serves a request, so the freed pages were spread over 9 to 17 arenas and
/// not returned: during an import 400 MB of the C heap's 440 MB were free chunks. The number of arenas can only be
/// capped from outside (<c>MALLOC_ARENA_MAX</c>, set by the deployment): the runtime has created its first arenas before
/// any managed code runs. Everything here is a no-op where glibc is not the C library (Windows, macOS, musl).
/// </summary>
public static class NativeHeap
{
    // Plain DllImport: these signatures need no marshalling, and LibraryImport would need the project built with unsafe code.
    private const string LibC = "libc";

    /// <summary>
    /// Returns the free memory of every arena to the operating system (<c>malloc_trim(0)</c>, which also releases
    /// free pages inside an arena, not only at its top). It walks the arenas under their locks: milliseconds for
    /// hundreds of MB, so it is run after long jobs, not per request. True when glibc released something.
    /// </summary>
    public static bool Trim() => OperatingSystem.IsLinux() && Call(() => MallocTrim(0) == 1);

    /// <summary>The C heap's bytes in use and held free by the allocator, or null where that cannot be read.</summary>
    public static (long InUse, long Free)? Usage()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        MallInfo2 info = default;
        if (!Call(() =>
        {
            info = MallInfo();
            return true;
        }))
        {
            return null;
        }

        // uordblks: allocated from the arenas; hblkhd: large blocks mmapped on their own; fordblks: free in the arenas.
        return ((long)(info.Uordblks + info.Hblkhd), (long)info.Fordblks);
    }

    private static bool Call(Func<bool> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no malloc_trim or mallinfo2), or glibc older than 2.33 (no mallinfo2)
        }
    }

    [DllImport(LibC, EntryPoint = "malloc_trim", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);

    [DllImport(LibC, EntryPoint = "mallinfo2", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern MallInfo2 MallInfo();

    /// <summary>glibc's <c>struct mallinfo2</c> (every field a <c>size_t</c>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
#pragma warning disable CS0649, IDE0044 // filled by the C library
        public nuint Arena;
        public nuint Ordblks;
        public nuint Smblks;
        public nuint Hblks;
        public nuint Hblkhd;
        public nuint Usmblks;
        public nuint Fsmblks;
        public nuint Uordblks;
        public nuint Fordblks;
        public nuint Keepcost;
#pragma warning restore CS0649, IDE0044
    }
}
