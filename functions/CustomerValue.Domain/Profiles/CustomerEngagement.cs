namespace CustomerValue.Domain.Profiles;

/// <summary>
/// Where a person engages, across channels and devices. Sets and a maximum only, so applying the same touch twice,
/// or touches in any order, gives the same result.
/// </summary>
public sealed record CustomerEngagement
{
    /// <summary>Channels with at least one touch, sorted.</summary>
    public IReadOnlyList<EngagementChannel> Channels { get; init; } = [];

    /// <summary>Devices seen, sorted.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>The latest touch.</summary>
    public DateTimeOffset? LastTouchAt { get; init; }

    /// <summary>This engagement with one more touch; the same instance when the touch adds nothing.</summary>
    public CustomerEngagement With(EngagementTouch touch)
    {
        ArgumentNullException.ThrowIfNull(touch);
        var channels = Channels.Contains(touch.Channel) ? Channels : [.. Channels.Append(touch.Channel).Order()];
        var devices = touch.Device is null || Devices.Contains(touch.Device, StringComparer.Ordinal)
            ? Devices : [.. Devices.Append(touch.Device).Order(StringComparer.Ordinal)];
        var last = LastTouchAt is null || touch.TouchedAt > LastTouchAt ? touch.TouchedAt : LastTouchAt;
        return ReferenceEquals(channels, Channels) && ReferenceEquals(devices, Devices) && last == LastTouchAt
            ? this
            : new CustomerEngagement { Channels = channels, Devices = devices, LastTouchAt = last };
    }

    /// <summary>Both engagements together (a merge).</summary>
    public CustomerEngagement Union(CustomerEngagement other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new CustomerEngagement
        {
            Channels = [.. Channels.Union(other.Channels).Order()],
            Devices = [.. Devices.Union(other.Devices, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            LastTouchAt = new[] { LastTouchAt, other.LastTouchAt }.Max(),
        };
    }
}
