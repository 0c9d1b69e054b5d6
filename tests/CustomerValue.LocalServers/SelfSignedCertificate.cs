using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CustomerValue.LocalServers;

/// <summary>
/// A fresh self-signed TLS certificate for a server on 127.0.0.1, written as PEM files for Node, and a check that
/// trusts exactly this certificate and nothing else. Made per run because the one bundled with the Cosmos-API server's
/// npm package has expired, and so that no machine-wide trust is needed.
/// </summary>
public sealed class SelfSignedCertificate : IDisposable
{
    private readonly X509Certificate2 _certificate;

    /// <summary>Makes the certificate (valid from yesterday for a week) and writes cert.pem and key.pem into <paramref name="folder"/>.</summary>
    public SelfSignedCertificate(string folder)
    {
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        CertificatePath = Path.Combine(folder, "cert.pem");
        KeyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(CertificatePath, _certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The certificate, PEM.</summary>
    public string CertificatePath { get; }

    /// <summary>Its private key, PEM (PKCS#8).</summary>
    public string KeyPath { get; }

    /// <summary>True for this certificate only, whatever the chain says (it is self-signed).</summary>
    public bool Validate(X509Certificate? presented) =>
        presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == _certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>Releases the certificate (the PEM files stay; they live in the caller's folder).</summary>
    public void Dispose() => _certificate.Dispose();
}
