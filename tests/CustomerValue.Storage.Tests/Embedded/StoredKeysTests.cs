using CustomerValue.Storage.Embedded;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>Keys of the form word-dash-hex are stored as half-size blobs that read back and sort as their text does.</summary>
public sealed class StoredKeysTests
{
    [Theory]
    [InlineData("o-d3212ec337ad057ee9d65c210e22fcea2c7961be", 22)]
    [InlineData("cp-803a1e29ad8dd4d9e79aa54b", 15)]
    [InlineData("email-6a69e1223a05344dbea3a01d5993b7ff40d1b8d07cfa33bdf65f9a679d820faa", 38)]
    public void Encode_AWordDashHexKey_IsABlobOfHalfTheDigits_AndDecodesBack(string key, int length)
    {
        var stored = Assert.IsType<byte[]>(StoredKeys.Encode(key));

        Assert.Equal(length, stored.Length);
        Assert.Equal(key, StoredKeys.Decode(stored, isBlob: true));
    }

    [Theory]
    [InlineData("o-1")]                  // too few digits to gain
    [InlineData("o-D3212EC337AD057E")]   // upper case would not read back the same
    [InlineData("o-d3212ec337ad057")]    // an odd number of digits
    [InlineData("order-2024-abcdef01")]  // a dash in the rest
    [InlineData("Cp-803a1e29ad8dd4d9")]  // not a lower-case word
    [InlineData("-803a1e29ad8dd4d9")]
    [InlineData("lease")]
    [InlineData("")]
    public void Encode_AnyOtherKey_StaysText(string key)
    {
        Assert.Equal(key, StoredKeys.Encode(key));
    }

    [Fact]
    public void Encode_KeepsTheOrderOfKeysOfOneForm()
    {
        string[] keys = ["cp-00000000", "cp-0000000000", "cp-00ff0000", "cp-ff000000", "cpx-00000000", "o-00000000", "o-ffffffff"];

        var sorted = keys.Select(k => (byte[])StoredKeys.Encode(k)).Order(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).Select(b => StoredKeys.Decode(b, isBlob: true));

        Assert.Equal(keys.Order(StringComparer.Ordinal), sorted);
    }
}
