namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// The benchmark cannot set up a store: the repository (and so tests/emulators) is not found, npm or node failed,
/// the Cosmos-API server did not start. <c>bench stores</c> prints the message on stderr and exits with 2.
/// </summary>
public sealed class BenchSetupException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public BenchSetupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception behind it.</summary>
    public BenchSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception without details.</summary>
    public BenchSetupException()
        : this("The benchmark could not set up a store.")
    {
    }
}
