namespace CustomerValue.LocalServers;

/// <summary>
/// A local server could not be installed or started: tests/emulators was not found, npm or node could not be run or
/// failed, or the server exited or stayed silent instead of reporting that it listens. The message says which, with
/// what the tool printed.
/// </summary>
public sealed class LocalServerException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public LocalServerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception behind it.</summary>
    public LocalServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception without details.</summary>
    public LocalServerException()
        : this("A local server could not be started.")
    {
    }
}
