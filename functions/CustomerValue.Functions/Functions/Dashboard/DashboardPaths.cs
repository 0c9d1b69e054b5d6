namespace CustomerValue.Functions.Functions.Dashboard;

/// <summary>
/// Where the dashboard's pages are. The Functions host forwards only HTTP functions' routes, all under the host's
/// route prefix <c>api</c>, so the pages live under <c>/api/dashboard</c> there and here alike; locally <c>/</c> leads to them.
/// </summary>
public static class DashboardPaths
{
    /// <summary>The dashboard's root (the Overview page).</summary>
    public const string Base = "/api/dashboard";

    /// <summary>The stylesheet.</summary>
    public const string Stylesheet = Base + "/dashboard.css";

    /// <summary>Overview.</summary>
    public const string Overview = Base + "/";

    /// <summary>Segments.</summary>
    public const string Segments = Base + "/segments";

    /// <summary>Migrations.</summary>
    public const string Migrations = Base + "/migrations";

    /// <summary>Channels.</summary>
    public const string Channels = Base + "/channels";

    /// <summary>Model health.</summary>
    public const string Model = Base + "/model";

    /// <summary>Customer search.</summary>
    public const string Customers = Base + "/customers";

    /// <summary>Destinations.</summary>
    public const string Destinations = Base + "/destinations";

    /// <summary>The navigation, in order.</summary>
    public static IReadOnlyList<(string Label, string Href)> Navigation { get; } =
    [
        ("Overview", Overview), ("Segments", Segments), ("Migrations", Migrations), ("Channels", Channels),
        ("Model health", Model), ("Customer", Customers), ("Destinations", Destinations),
    ];

    /// <summary>One segment's page.</summary>
    public static string Segment(string name) => $"{Segments}/{Uri.EscapeDataString(name)}";

    /// <summary>One segment's members, from a continuation on.</summary>
    public static string Members(string name, string? after = null) =>
        $"{Segment(name)}/members" + (after is null ? "" : "?after=" + Uri.EscapeDataString(after));

    /// <summary>One customer's page.</summary>
    public static string Customer(string id) => $"{Customers}/{Uri.EscapeDataString(id)}";

    /// <summary>The confirmation page (GET) and the action (POST) of a customer's erasure.</summary>
    public static string Erase(string id) => $"{Customer(id)}/erase";

    /// <summary>The replay of one destination's dead letters (POST).</summary>
    public static string Replay(string destination) => $"{Destinations}/{Uri.EscapeDataString(destination)}/replay";
}
