using System.Globalization;

namespace CustomerValue.Publishing.Destinations;

/// <summary>
/// One configured destination (<c>Destinations:&lt;name&gt;:...</c>): the settings every kind shares, plus the kind's own
/// values by their setting name (<c>BaseUrl</c>, <c>Lists:top-20</c>, ...). Plain values, so the publishing code
/// does not depend on the configuration system.
/// </summary>
public sealed record DestinationSettings
{
    /// <summary>Default attempts before a batch goes to the dead letters.</summary>
    public const int DefaultMaxAttempts = 5;

    /// <summary>The destination's name (the configuration key), unique.</summary>
    public required string Name { get; init; }

    /// <summary>The kind, one of <see cref="DestinationKinds"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The segments this destination receives.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    /// <summary>Delivery attempts of one batch before it is dead-lettered (<c>MaxAttempts</c>).</summary>
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>How often pending changes are sent (<c>DeliveryInterval</c>, default one minute: well within five).</summary>
    public TimeSpan DeliveryInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The kind's own settings by name, e.g. <c>BaseUrl</c> or <c>Lists:top-20</c> (case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A kind-specific setting, or null when absent or empty.</summary>
    public string? Value(string key) => Values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>A kind-specific setting that must be present.</summary>
    /// <exception cref="InvalidOperationException">It is missing.</exception>
    public string Required(string key) => Value(key) ?? throw new InvalidOperationException($"Destinations:{Name}:{key} is not set.");

    /// <summary>A numeric setting, or <paramref name="fallback"/>.</summary>
    public double Number(string key, double fallback) =>
        Value(key) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : fallback;

    /// <summary>A boolean setting, or <paramref name="fallback"/>.</summary>
    public bool Flag(string key, bool fallback) => Value(key) is { } text && bool.TryParse(text, out var flag) ? flag : fallback;

    /// <summary>The platform list/audience id configured for a segment (<c>Lists:&lt;segment&gt;</c>).</summary>
    public string? List(string segment) => Value("Lists:" + segment);

    /// <summary>True when the destination receives <paramref name="segment"/>.</summary>
    public bool Receives(string segment) => Segments.Contains(segment, StringComparer.Ordinal);
}
