namespace CustomerValue.Publishing.Delivery;

/// <summary>A destination's lease stayed taken (a long delivery round) for as long as a replay was willing to wait.</summary>
public sealed class DestinationBusyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DestinationBusyException(string destination, TimeSpan waited)
        : base($"A delivery round of '{destination}' is still running after {waited.TotalSeconds:0} s; try the replay again when it ends.")
    {
        Destination = destination;
        Waited = waited;
    }

    /// <summary>Creates the exception.</summary>
    public DestinationBusyException() : this("?", TimeSpan.Zero)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DestinationBusyException(string message) : base(message) => Destination = "?";

    /// <summary>Creates the exception.</summary>
    public DestinationBusyException(string message, Exception inner) : base(message, inner) => Destination = "?";

    /// <summary>The destination.</summary>
    public string Destination { get; }

    /// <summary>How long the replay waited.</summary>
    public TimeSpan Waited { get; }
}
