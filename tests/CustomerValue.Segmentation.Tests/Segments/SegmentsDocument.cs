namespace CustomerValue.Segmentation.Tests.Segments;

/// <summary>SEGMENTS.md as shipped, found above the test binaries.</summary>
internal static class SegmentsDocument
{
    public static string Text()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "functions", "CustomerValue.Segmentation", "SEGMENTS.md");
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException("SEGMENTS.md not found above " + AppContext.BaseDirectory);
    }
}
