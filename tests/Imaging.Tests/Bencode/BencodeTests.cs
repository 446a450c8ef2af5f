using System.Text;
using OgActors.Imaging.Bencode;

namespace OgActors.Imaging.Tests.Bencode;

public sealed class BencodeTests
{
    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void Values_round_trip_and_dictionaries_are_written_in_raw_key_order()
    {
        var value = new BencodeDictionary()
            .Add("zeta", new BencodeInteger(-42))
            .Add("announce", new BencodeString("http://127.0.0.1:6969/announce"))
            .Add("list", new BencodeList(new BencodeInteger(0), new BencodeString(new byte[] { 0, 255, 58 }), new BencodeList()))
            .Add("Alpha", new BencodeDictionary().Add("b", new BencodeInteger(long.MaxValue)).Add("a", new BencodeInteger(long.MinValue)));

        var encoded = BencodeWriter.Encode(value);

        Encoding.Latin1.GetString(encoded).Should().Be(
            "d5:Alphad1:ai-9223372036854775808e1:bi9223372036854775807ee8:announce30:http://127.0.0.1:6969/announce" +
            "4:listli0e3:\0\u00ff:lee4:zetai-42ee");
        BencodeReader.Decode(encoded).Should().Be(value);
        BencodeWriter.Encode(BencodeReader.Decode(encoded)).Should().Equal(encoded);
    }

    [Fact]
    public void Raw_value_of_a_key_is_the_exact_input_slice()
    {
        var input = Ascii("d8:announce3:url4:infod4:name3:abc6:lengthi5eee");
        // keys inside info are out of order on purpose: the raw slice must be taken as is, not re-encoded
        Encoding.ASCII.GetString(BencodeReader.RawValueOf(input, "announce").Span).Should().Be("3:url");
        var act = () => BencodeReader.Decode(input);
        act.Should().Throw<BencodeFormatException>().WithMessage("*out of order*");
    }

    [Theory]
    [InlineData("", "Bencode input ends too early at offset 0.")]
    [InlineData("i12", "Bencode input ends too early at offset 3.")]
    [InlineData("i-0e", "Bencode integer at offset 0 has a leading zero or is negative zero.")]
    [InlineData("i03e", "Bencode integer at offset 0 has a leading zero or is negative zero.")]
    [InlineData("ie", "Bencode integer at offset 0 is not a number.")]
    [InlineData("i1x2e", "Bencode integer at offset 0 is not a number.")]
    [InlineData("i99999999999999999999e", "Bencode integer at offset 0 does not fit in 64 bits.")]
    [InlineData("5:abc", "Bencode string at offset 0 claims 5 bytes but only 3 remain.")]
    [InlineData("03:abc", "Bencode string length at offset 0 is not a valid number.")]
    [InlineData("l1:a", "Bencode input ends too early at offset 4.")]
    [InlineData("d1:bi1e1:ai2ee", "Bencode dictionary key \"a\" at offset 7 is out of order.")]
    [InlineData("d1:ai1e1:ai2ee", "Bencode dictionary repeats the key \"a\" at offset 7.")]
    [InlineData("di1ei2ee", "Bencode dictionary key at offset 1 is not a byte string.")]
    [InlineData("i1ei2e", "Bencode has 3 unexpected trailing bytes at offset 3.")]
    [InlineData("x", "Bencode has an unexpected byte 0x78 at offset 0.")]
    public void Malformed_input_is_one_sentence_with_the_offset(string input, string message)
    {
        var act = () => BencodeReader.Decode(Ascii(input));

        act.Should().Throw<BencodeFormatException>().Which.Message.Should().Be(message);
    }

    [Fact]
    public void Nesting_is_bounded()
    {
        var deep = new string('l', 100) + new string('e', 100);

        var act = () => BencodeReader.Decode(Ascii(deep));

        act.Should().Throw<BencodeFormatException>().WithMessage("Bencode nests deeper than 64 levels at offset *.");
    }
}
