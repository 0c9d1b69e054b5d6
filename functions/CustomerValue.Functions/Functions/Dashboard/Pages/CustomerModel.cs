using CustomerValue.Domain.Profiles;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>The Customer page: a search, and when it found somebody their profile 360.</summary>
public sealed record CustomerModel
{
    /// <summary>What was searched for, if anything.</summary>
    public string? Query { get; init; }

    /// <summary>Why the search found nobody (bad input or no match).</summary>
    public string? Problem { get; init; }

    /// <summary>The profile shown.</summary>
    public CustomerProfile? Profile { get; init; }

    /// <summary>Its orders and refunds, newest first.</summary>
    public IReadOnlyList<OrderRecord> Orders { get; init; } = [];

    /// <summary>A message after an action (e.g. an erasure).</summary>
    public string? Message { get; init; }
}

/// <summary>The erasure confirmation page and its result.</summary>
public sealed record EraseModel
{
    /// <summary>The profile to erase.</summary>
    public required string ProfileId { get; init; }

    /// <summary>Its display name, when the profile still exists.</summary>
    public string? Name { get; init; }

    /// <summary>True once erased.</summary>
    public bool Erased { get; init; }

    /// <summary>What went wrong, if anything.</summary>
    public string? Problem { get; init; }
}
