using System.Security.Cryptography;
using System.Text;
using ImageHub.Filters.Tests.Support;
using ImageHub.Wasm;

namespace ImageHub.Filters.Tests.Crypto;

/// <summary>
/// The filter's own SHA-256 and HMAC-SHA256 (filters/shared/sha256.ts), compiled into
/// crypto-check.wasm from the same source, against FIPS 180-2 and RFC 4231 test vectors.
/// </summary>
public sealed class CryptoVectorTests : IDisposable
{
    private readonly IWasmInstance _instance = new WasmEngine().Compile(File.ReadAllBytes(BuiltFilters.CryptoCheck)).Instantiate(new WasmImports());

    private IWasmMemory Memory => _instance.GetMemory()!;
    private uint Scratch => (uint)_instance.GetFunction<Func<int>>("scratch")!();

    private string Sha256(byte[] message)
    {
        Memory.Write(Scratch, message);
        _instance.GetFunction<Action<int>>("sha256Scratch")!(message.Length);
        return Digest();
    }

    private string Hmac(byte[] key, byte[] message)
    {
        Memory.Write(Scratch, key);
        Memory.Write(Scratch + (uint)key.Length, message);
        _instance.GetFunction<Action<int, int>>("hmacScratch")!(key.Length, message.Length);
        return Digest();
    }

    private string Digest() => Convert.ToHexStringLower(Memory.Slice((uint)_instance.GetFunction<Func<int>>("digest")!(), 32));

    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Sha256_matches_the_fips_180_vectors(string message, string digest) =>
        Assert.Equal(digest, Sha256(Encoding.ASCII.GetBytes(message)));

    [Fact]
    public void Sha256_of_a_million_a() =>
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Sha256(Enumerable.Repeat((byte)'a', 1_000_000).ToArray()));

    [Theory]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(119)]
    [InlineData(120)]
    public void Sha256_around_the_padding_boundaries_matches_dotnet(int length)
    {
        var message = Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3)).ToArray();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(message)), Sha256(message));
    }

    public static TheoryData<string, string, string> Rfc4231() => new()
    {
        // key (hex), data (hex), HMAC-SHA-256 (hex)
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", new string('d', 100), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", string.Concat(Enumerable.Repeat("cd", 50)), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { new string('a', 262), "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { new string('a', 262), "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e", "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Hmac_matches_the_rfc_4231_vectors(string keyHex, string dataHex, string mac) =>
        Assert.Equal(mac, Hmac(Convert.FromHexString(keyHex), Convert.FromHexString(dataHex)));

    [Fact]
    public void Hmac_with_a_truncated_output_matches_rfc_4231_case_5() =>
        Assert.StartsWith("a3b6167473100ee06e0c796c2955552b",
            Hmac(Convert.FromHexString(new string('0', 0) + string.Concat(Enumerable.Repeat("0c", 20))), Encoding.ASCII.GetBytes("Test With Truncation")));

    [Theory]
    [InlineData(32, 0)]
    [InlineData(64, 200)]
    [InlineData(65, 1)]
    [InlineData(44, 300)]
    public void Hmac_matches_dotnet_for_key_sizes_around_the_block(int keyLength, int messageLength)
    {
        var key = Enumerable.Range(0, keyLength).Select(i => (byte)(i * 13)).ToArray();
        var message = Enumerable.Range(0, messageLength).Select(i => (byte)(i * 31 + 1)).ToArray();
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(key, message)), Hmac(key, message));
    }

    public void Dispose() { }
}
