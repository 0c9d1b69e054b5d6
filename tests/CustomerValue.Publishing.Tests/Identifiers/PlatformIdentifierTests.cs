using CustomerValue.Publishing.Identifiers;

namespace CustomerValue.Publishing.Tests.Identifiers;

/// <summary>
/// Each platform's normaliser against fixed SHA-256 values of normalised example identities (computed outside this
/// code; the first three are the hashes in Google's Data Manager quickstart).
/// </summary>
public sealed class PlatformIdentifierTests
{
    private const string DanaExample = "07e2f1394b0ea80e2adca010ea8318df697001a005ba7452720edda4b0ce57b3"; // dana@example.com
    private const string DanamExample = "1df6b43bc68dd38eca94e6a65b4f466ae537b796c81a526918b40ac4a7b906c7"; // danam@example.com
    private const string AlexjExample = "2ef46c4214c3fc1b277a2d976d55194e12b899aa50d721f28da858c7689756e3"; // alexj@example.com
    private const string DanamGmail = "02ad293cd5816c99a3d893029adc1a7d644b1e8893ee2f7801f80268630a7c2e"; // danam@gmail.com
    private const string DanaDotMGmail = "84ebf66e5d6d5afa8eac7998dc7f4870ca7a5c825a0e3e8ba06b127d2832aa3f"; // dana.m@gmail.com
    private const string PlusUsPhone = "fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30"; // +18005550100
    private const string DigitsUsPhone = "92cfdc5fbcd4a20fbe5d3857af6c1aba31762105bba7f21a17155e920653046c"; // 18005550100
    private const string PlusUkPhone = "a8acc3a90a7b4e4dc65e93db9240ed26523050ef754d63b75b5161de76781436"; // +447700900123
    private const string DigitsUkPhone = "033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd"; // 447700900123

    [Theory]
    [InlineData("dana@example.com", DanaExample)]
    [InlineData(" DanaM@example.com", DanamExample)]
    [InlineData("ALEXJ@example.com ", AlexjExample)]
    [InlineData("Dana.M+ads@GMail.com", DanamGmail)]
    [InlineData("d.a.n.a.m@googlemail.com", null)]
    [InlineData("dana m@example.com", DanamExample)]
    public void Google_Email_TrimsLowerCasesAndDropsGmailDotsAndTags(string email, string? expected)
    {
        var hash = GoogleIdentifiers.HashEmail(email);
        if (expected is null)
        {
            Assert.Equal(Sha256Hex.Of("danam@googlemail.com"), hash);
        }
        else
        {
            Assert.Equal(expected, hash);
        }
    }

    [Theory]
    [InlineData("dana@example.com", DanaExample)]
    [InlineData("  DANA@Example.COM ", DanaExample)]
    [InlineData("Dana.M@gmail.com", DanaDotMGmail)]
    public void Meta_Email_TrimsAndLowerCasesOnly(string email, string expected) => Assert.Equal(expected, MetaIdentifiers.HashEmail(email));

    [Theory]
    [InlineData("+18005550100", PlusUsPhone)]
    [InlineData("+1 (800) 555-0100", PlusUsPhone)]
    [InlineData("+44 7700 900123", PlusUkPhone)]
    public void Google_Phone_IsE164WithThePlus(string phone, string expected) => Assert.Equal(expected, GoogleIdentifiers.HashPhone(phone));

    [Theory]
    [InlineData("+18005550100", DigitsUsPhone)]
    [InlineData("+1 (800) 555-0100", DigitsUsPhone)]
    [InlineData("+44 7700 900123", DigitsUkPhone)]
    public void Meta_Phone_IsDigitsWithCountryCodeAndNoPlus(string phone, string expected) => Assert.Equal(expected, MetaIdentifiers.HashPhone(phone));

    [Fact]
    public void SamePhone_HashesDifferentlyForGoogleAndMeta() =>
        Assert.NotEqual(GoogleIdentifiers.HashPhone("+18005550100"), MetaIdentifiers.HashPhone("+18005550100"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("@example.com")]
    public void NotAnEmail_HasNoHash(string? email)
    {
        Assert.Null(GoogleIdentifiers.HashEmail(email));
        Assert.Null(MetaIdentifiers.HashEmail(email));
    }
}
