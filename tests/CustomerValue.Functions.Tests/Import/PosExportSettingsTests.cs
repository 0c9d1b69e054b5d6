using CustomerValue.Application.PosImports;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>A mistyped <c>PosExports</c> setting stops the server at start-up with a message naming it.</summary>
public sealed class PosExportSettingsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(PosExportSettings.MaxMaxAttempts + 1)]
    public void MaxAttempts_OutOfRange_IsRefusedByName(int attempts)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PosExportSettings { MaxAttempts = attempts }.Validated());

        Assert.Contains("PosExports:MaxAttempts", error.Message, StringComparison.Ordinal);
        Assert.Contains(attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchRecords_Zero_IsRefusedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PosExportSettings { BatchRecords = 0 }.Validated());

        Assert.Contains("PosExports:BatchRecords", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(PosExportSettings.MaxMaxAttempts)]
    public void MaxAttempts_InRange_IsKept(int attempts)
    {
        var settings = new PosExportSettings { MaxAttempts = attempts };

        Assert.Same(settings, settings.Validated());
    }
}
