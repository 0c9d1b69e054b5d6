using CustomerValue.Storage.Azure.Cosmos;

namespace CustomerValue.Storage.Tests.Cosmos;

/// <summary>A mistyped <c>CosmosDb:TrustedCertificatePath</c> is reported by name when the client is built, not as a bare I/O error.</summary>
public sealed class PinnedCertificateTests
{
    [Fact]
    public void CreateClient_WithAMissingCertificateFile_NamesTheSettingAndThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".pem");
        var options = new CosmosStoreOptions { Endpoint = new Uri("https://127.0.0.1:8081/"), Key = "a2V5", TrustedCertificatePath = path };

        var error = Assert.Throws<InvalidOperationException>(() => CosmosDocumentStore.CreateClient(options));

        Assert.Contains("CosmosDb:TrustedCertificatePath", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateClient_WithAFileThatIsNoCertificate_SaysSo()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate");
            var options = new CosmosStoreOptions { Endpoint = new Uri("https://127.0.0.1:8081/"), Key = "a2V5", TrustedCertificatePath = path };

            var error = Assert.Throws<InvalidOperationException>(() => CosmosDocumentStore.CreateClient(options));

            Assert.Contains("not a readable PEM certificate", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
