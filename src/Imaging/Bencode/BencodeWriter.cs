using System.Buffers;
using System.Globalization;
using System.Text;

namespace OgActors.Imaging.Bencode;

/// <summary>Writes bencode (BEP 3): canonical output, dictionary keys sorted by raw bytes.</summary>
public static class BencodeWriter
{
    public static byte[] Encode(BencodeValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, BencodeValue value)
    {
        switch (value)
        {
            case BencodeString s:
                WriteBytes(output, s.Bytes);
                break;
            case BencodeInteger i:
                WriteAscii(output, "i" + i.Value.ToString(CultureInfo.InvariantCulture) + "e");
                break;
            case BencodeList l:
                WriteAscii(output, "l");
                foreach (var item in l.Items) Write(output, item);
                WriteAscii(output, "e");
                break;
            case BencodeDictionary d:
                WriteAscii(output, "d");
                foreach (var (key, item) in d.Entries)
                {
                    WriteBytes(output, key);
                    Write(output, item);
                }
                WriteAscii(output, "e");
                break;
            default:
                throw new ArgumentException($"Cannot bencode a value of type {value.GetType().Name}.", nameof(value));
        }
    }

    private static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteAscii(output, bytes.Length.ToString(CultureInfo.InvariantCulture) + ":");
        output.Write(bytes);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text) => output.Write(Encoding.ASCII.GetBytes(text));
}
