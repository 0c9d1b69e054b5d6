namespace CustomerValue.Publishing.Destinations;

/// <summary>A destination refused or could not take a batch; the message names the platform's answer (never a person).</summary>
public sealed class DestinationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DestinationException(string message, int? statusCode = null, Exception? inner = null) : base(message, inner) => StatusCode = statusCode;

    /// <summary>Creates the exception.</summary>
    public DestinationException() : this("The destination failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public DestinationException(string message) : this(message, (int?)null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DestinationException(string message, Exception inner) : this(message, null, inner)
    {
    }

    /// <summary>The HTTP status the platform answered, when it answered.</summary>
    public int? StatusCode { get; }
}
