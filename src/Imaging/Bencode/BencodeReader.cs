using System.Text;

namespace OgActors.Imaging.Bencode;

/// <summary>
/// Reads bencode strictly: one value spanning the whole input, integers without leading zeros or "-0",
/// dictionary keys unique and sorted. Anything else is a <see cref="BencodeFormatException"/>.
/// </summary>
public static class BencodeReader
{
    private const int MaxDepth = 64;

    public static BencodeValue Decode(ReadOnlySpan<byte> input)
    {
        var position = 0;
        var value = ReadValue(input, ref position, 0);
        if (position != input.Length)
            throw new BencodeFormatException($"Bencode has {input.Length - position} unexpected trailing bytes at offset {position}.", position);
        return value;
    }

    /// <summary>Decodes the one value at the start of <paramref name="input"/> and says how many bytes it took.</summary>
    public static BencodeValue Decode(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        return ReadValue(input, ref consumed, 0);
    }

    /// <summary>The raw bytes of the value under <paramref name="key"/> of the top-level dictionary, as they appear in the input.</summary>
    public static ReadOnlyMemory<byte> RawValueOf(ReadOnlyMemory<byte> input, string key)
    {
        var span = input.Span;
        var position = 0;
        if (span.Length == 0 || span[0] != (byte)'d')
            throw new BencodeFormatException("Bencode input is not a dictionary at offset 0.", 0);
        position++;
        var wanted = Encoding.UTF8.GetBytes(key);
        while (position < span.Length && span[position] != (byte)'e')
        {
            var k = ReadString(span, ref position);
            var start = position;
            ReadValue(span, ref position, 1);
            if (k.AsSpan().SequenceEqual(wanted)) return input[start..position];
        }
        throw new BencodeFormatException($"Bencode dictionary has no \"{key}\" key.", position);
    }

    private static BencodeValue ReadValue(ReadOnlySpan<byte> s, ref int p, int depth)
    {
        if (p >= s.Length) throw Truncated(p);
        if (depth > MaxDepth) throw new BencodeFormatException($"Bencode nests deeper than {MaxDepth} levels at offset {p}.", p);
        var c = s[p];
        switch (c)
        {
            case (byte)'i':
                return new BencodeInteger(ReadInteger(s, ref p));
            case (byte)'l':
            {
                p++;
                var items = new List<BencodeValue>();
                while (true)
                {
                    if (p >= s.Length) throw Truncated(p);
                    if (s[p] == (byte)'e') { p++; return new BencodeList(items); }
                    items.Add(ReadValue(s, ref p, depth + 1));
                }
            }
            case (byte)'d':
            {
                p++;
                var dictionary = new BencodeDictionary();
                byte[]? previous = null;
                while (true)
                {
                    if (p >= s.Length) throw Truncated(p);
                    if (s[p] == (byte)'e') { p++; return dictionary; }
                    var keyOffset = p;
                    if (s[p] is < (byte)'0' or > (byte)'9')
                        throw new BencodeFormatException($"Bencode dictionary key at offset {p} is not a byte string.", p);
                    var key = ReadString(s, ref p);
                    if (previous is not null)
                    {
                        var order = previous.AsSpan().SequenceCompareTo(key);
                        if (order == 0) throw new BencodeFormatException($"Bencode dictionary repeats the key \"{Encoding.UTF8.GetString(key)}\" at offset {keyOffset}.", keyOffset);
                        if (order > 0) throw new BencodeFormatException($"Bencode dictionary key \"{Encoding.UTF8.GetString(key)}\" at offset {keyOffset} is out of order.", keyOffset);
                    }
                    previous = key;
                    dictionary.Add(key, ReadValue(s, ref p, depth + 1));
                }
            }
            case >= (byte)'0' and <= (byte)'9':
                return new BencodeString(ReadString(s, ref p));
            default:
                throw new BencodeFormatException($"Bencode has an unexpected byte 0x{c:X2} at offset {p}.", p);
        }
    }

    private static long ReadInteger(ReadOnlySpan<byte> s, ref int p)
    {
        var start = p;
        p++; // 'i'
        var end = s[p..].IndexOf((byte)'e');
        if (end < 0) throw Truncated(s.Length);
        var digits = s.Slice(p, end);
        var negative = digits.Length > 0 && digits[0] == (byte)'-';
        var body = negative ? digits[1..] : digits;
        if (body.Length == 0 || body.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            throw new BencodeFormatException($"Bencode integer at offset {start} is not a number.", start);
        if ((body.Length > 1 && body[0] == (byte)'0') || (negative && body is [(byte)'0']))
            throw new BencodeFormatException($"Bencode integer at offset {start} has a leading zero or is negative zero.", start);
        if (!long.TryParse(digits, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            throw new BencodeFormatException($"Bencode integer at offset {start} does not fit in 64 bits.", start);
        p += end + 1;
        return value;
    }

    private static byte[] ReadString(ReadOnlySpan<byte> s, ref int p)
    {
        var start = p;
        var colon = s[p..].IndexOf((byte)':');
        if (colon < 0) throw Truncated(s.Length);
        var digits = s.Slice(p, colon);
        if (digits.Length == 0 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9') || (digits.Length > 1 && digits[0] == (byte)'0'))
            throw new BencodeFormatException($"Bencode string length at offset {start} is not a valid number.", start);
        if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
            throw new BencodeFormatException($"Bencode string length at offset {start} is too large.", start);
        p += colon + 1;
        if (length > s.Length - p)
            throw new BencodeFormatException($"Bencode string at offset {start} claims {length} bytes but only {s.Length - p} remain.", start);
        var bytes = s.Slice(p, length).ToArray();
        p += length;
        return bytes;
    }

    private static BencodeFormatException Truncated(int offset) =>
        new($"Bencode input ends too early at offset {offset}.", offset);
}
