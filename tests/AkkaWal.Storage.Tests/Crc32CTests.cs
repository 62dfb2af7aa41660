namespace AkkaWal.Storage.Tests;

public class Crc32CTests
{
    [Fact]
    public void Matches_the_Castagnoli_check_values()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));            // RFC 3720 B.4: 32 zero bytes
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Mask_round_trips_and_changes_the_value()
    {
        foreach (uint c in new[] { 0u, 1u, 0xE3069283u, uint.MaxValue })
        {
            Assert.Equal(c, Crc32C.Unmask(Crc32C.Mask(c)));
            Assert.NotEqual(c, Crc32C.Mask(c));
        }
    }

    [Fact]
    public void Incremental_update_equals_one_shot()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        for (int split = 0; split <= data.Length; split += 37)
            Assert.Equal(Crc32C.Compute(data), ~Crc32C.Update(Crc32C.Update(0xFFFFFFFFu, data.AsSpan(0, split)), data.AsSpan(split)));
    }
}
