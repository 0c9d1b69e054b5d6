namespace CustomerValue.Ingestion.Json;

/// <summary>
/// Caller data that cannot be read. Thrown inside the parsers only and turned into a failure result at their
/// boundary, so that a deep helper can stop parsing without threading errors through every return value.
/// Messages name fields and positions, never values (which may be e-mail addresses or phone numbers).
/// </summary>
internal sealed class PayloadException : Exception
{
    public PayloadException(string message)
        : base(message)
    {
    }

    public PayloadException()
    {
    }

    public PayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A value for a message when it is a plain token (a topic, a type); anything else is not repeated.</summary>
    public static string Token(string value) =>
        value.Length <= 40 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/')
            ? $"'{value}'"
            : "(value not shown)";
}
