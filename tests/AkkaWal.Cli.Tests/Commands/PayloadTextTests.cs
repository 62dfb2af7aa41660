using System.Text;
using AkkaWal.Cli.Output;

namespace AkkaWal.Cli.Tests.Commands;

public class PayloadTextTests
{
    [Fact]
    public void Printable_utf8_is_shown_as_quoted_text()
    {
        Assert.Equal("\"héllo \\\"wal\\\"\"", PayloadText.Format(Encoding.UTF8.GetBytes("héllo \"wal\"")));
    }

    [Fact]
    public void Control_characters_make_the_payload_hex()
    {
        Assert.Equal("hex:610a62", PayloadText.Format("a\nb"u8));
        Assert.Equal("hex:1b5b326a", PayloadText.Format("\u001b[2j"u8)); // a terminal escape must never reach the terminal
    }

    [Fact]
    public void Invalid_utf8_is_shown_as_hex()
    {
        Assert.Equal("hex:ff00fe", PayloadText.Format([0xff, 0x00, 0xfe]));
    }

    [Fact]
    public void Long_payloads_are_cut_with_a_marker_counting_the_rest()
    {
        var payload = Encoding.ASCII.GetBytes(new string('x', 100));
        Assert.Equal("\"" + new string('x', 10) + "\"... (+90 bytes)", PayloadText.Format(payload, maxBytes: 10));
        Assert.Equal("hex:0000... (+3 bytes)", PayloadText.Format(new byte[5], maxBytes: 2));
    }

    [Fact]
    public void A_cut_inside_a_multibyte_character_drops_the_partial_character_and_counts_it()
    {
        var payload = Encoding.UTF8.GetBytes("aé"); // 61 c3 a9
        var shown = PayloadText.Show(payload, maxBytes: 2);
        Assert.True(shown.IsText);
        Assert.Equal("a", shown.Value);
        Assert.Equal(2, shown.OmittedBytes);
    }

    [Fact]
    public void Empty_payload_is_empty_text()
    {
        Assert.Equal("\"\"", PayloadText.Format([]));
    }
}
