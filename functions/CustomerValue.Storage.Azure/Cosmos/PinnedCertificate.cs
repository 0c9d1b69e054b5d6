using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CustomerValue.Storage.Azure.Cosmos;

/// <summary>
/// Trusts one self-signed server certificate (an emulator's) besides the system's authorities: a presented certificate
/// is accepted when the system trusts it, or when it is byte for byte the pinned one.
/// </summary>
internal static class PinnedCertificate
{
    /// <summary>An HttpClient factory for the SDK's gateway traffic that accepts the certificate in <paramref name="pemPath"/>.</summary>
    public static Func<HttpClient> HttpClientFactory(string pemPath)
    {
        // Read once, up front: a missing or unreadable file is a configuration error to report at start, not per request.
        byte[] expected;
        try
        {
            using var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
            expected = pinned.RawData;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"CosmosDb:TrustedCertificatePath '{pemPath}' is not a readable PEM certificate: {ex.Message}", ex);
        }

        return () => new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                    errors == SslPolicyErrors.None || (presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(expected)),
            },
        });
    }
}
