namespace CustomerValue.PlatformFakes;

/// <summary>Checks that identifiers arrived hashed.</summary>
public static class Hex
{
    /// <summary>True for 64 lower-case hex digits: a SHA-256 as every platform here expects it.</summary>
    public static bool IsSha256(string? value) => value is { Length: 64 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
