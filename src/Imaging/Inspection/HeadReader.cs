using OgActors.Imaging.Compression;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Inspection;

/// <summary>
/// Reads the bounded decoded head of an image stream: sniffs the compressor from the first bytes, decodes only as much
/// as the header parser wants, and turns decoder failures into one-sentence <see cref="ImageFormatException"/>s.
/// </summary>
internal static class HeadReader
{
    /// <param name="StreamLength">The decoded stream's full length when known: the stored size for an uncompressed image, or
    /// the decoded length when the compressed input was all consumed by the time the head was read (small images).</param>
    public sealed record Head(byte[] Buffer, int Length, bool ReachedEnd, Compressor Compressor, long? StreamLength)
    {
        public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);
    }

    /// <summary>
    /// Reads the head of <paramref name="source"/> (compressed or not). When <paramref name="sourceIsPartial"/>, the source
    /// is a cut-off prefix of the image, so a decoder failing at its end only ends the head instead of being an error.
    /// </summary>
    public static Head Read(Stream input, long inputLength, string where, bool sourceIsPartial)
    {
        var source = new ReadCountingStream(input, leaveOpen: true);
        var magic = new byte[CompressionDetector.MagicLength];
        int magicLength = ReadFully(source, magic, where, Compressor.None, 0, sourceIsPartial: false);
        var compressor = CompressionDetector.Detect(magic.AsSpan(0, magicLength));
        using var replay = new PrefixedStream(magic.AsMemory(0, magicLength), source, leaveOpen: true);
        Stream decoded;
        try { decoded = Decompression.Open(compressor, replay, leaveOpen: true); }
        catch (Exception e) when (IsDecodeFailure(e))
        {
            throw ImageFormatException.In(where, $"its {HeadParser.Name(compressor)} stream does not decode ({Clause(e)})");
        }
        using (decoded)
        {
            // Decode a little first, then as much as the recognised header needs (bounded by HeadParser.MaxBytes).
            var buffer = new byte[HeadParser.InitialBytes];
            int length = ReadFully(decoded, buffer, where, compressor, 0, sourceIsPartial);
            bool end = length < buffer.Length;
            while (!end)
            {
                int wanted = HeadParser.BytesWanted(buffer);
                if (wanted <= buffer.Length) break;
                Array.Resize(ref buffer, wanted);
                length += ReadFully(decoded, buffer.AsSpan(length), where, compressor, length, sourceIsPartial);
                end = length < buffer.Length;
            }
            long? streamLength = compressor == Compressor.None && !sourceIsPartial ? inputLength
                : end && !sourceIsPartial ? length : null;
            // When little compressed input is left after the head, decoding the rest is cheap and tells a complete
            // image from one truncated soon after its head. (Truncation further on shows when the image is restored.)
            if (!end && !sourceIsPartial && compressor != Compressor.None && inputLength - source.Position <= TailToDrain)
                streamLength = Drain(decoded, where, compressor, length);
            return new Head(buffer, length, end, compressor, streamLength);
        }
    }

    /// <summary>
    /// Decodes past the head, up to <paramref name="maxBytes"/>, and throws the decoder's failure as an
    /// <see cref="ImageFormatException"/> if there is one. A compressed stream damaged inside its first block can decode
    /// to garbage that only the block's end (its CRC) exposes: when a head is not recognised, this says "does not
    /// decode" where that is the truth, instead of calling the data "not an image".
    /// </summary>
    public static void ThrowIfStreamDamaged(Stream input, string where, long maxBytes = 8L * 1024 * 1024)
    {
        using var guarded = new ReadGuard(input, () => where);
        using var decoded = Decompression.OpenDetected(guarded, out var compressor, leaveOpen: true);
        Drain(decoded, where, compressor, 0, maxBytes);
    }

    /// <summary>Compressed bytes left after the head below which the rest is decoded to learn the stream's length.</summary>
    private const long TailToDrain = 64 * 1024;

    /// <summary>
    /// Decodes the rest from <paramref name="offset"/> on (at most <paramref name="maxBytes"/> bytes); returns the stream's
    /// decoded length, or null past the bound. A decoder failure becomes an <see cref="ImageFormatException"/>.
    /// </summary>
    private static long? Drain(Stream decoded, string where, Compressor compressor, long offset, long maxBytes = 1L * 1024 * 1024)
    {
        var scratch = new byte[256 * 1024];
        long total = offset;
        while (total - offset < maxBytes)
        {
            int n = ReadFully(decoded, scratch, where, compressor, total, sourceIsPartial: false);
            total += n;
            if (n < scratch.Length) return total;
        }
        return null;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer, string where, Compressor compressor, long offset, bool sourceIsPartial)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer[total..]);
                if (n == 0) break;
                total += n;
            }
        }
        catch (ImageFormatException) { throw; }
        catch (Exception e) when (IsDecodeFailure(e))
        {
            if (sourceIsPartial) return total;            // the given head simply ends inside a compressed block
            if (e is EndOfStreamException)
                throw ImageFormatException.In(where, $"the image is truncated: its {HeadParser.Name(compressor)} stream ends after {offset + total} decompressed bytes ({Clause(e)})");
            string after = offset + total == 0 ? "from its start" : $"after {offset + total} decompressed bytes";
            throw ImageFormatException.In(where, $"its {HeadParser.Name(compressor)} stream does not decode {after} ({Clause(e)})");
        }
        return total;
    }

    /// <summary>
    /// Anything a decoder throws while the source reads fine (source read failures arrive already as
    /// <see cref="ImageFormatException"/> from <see cref="ReadGuard"/>). Decoders throw many types, so this is broad.
    /// </summary>
    private static bool IsDecodeFailure(Exception e) => e is not (OutOfMemoryException or ImageFormatException);

    /// <summary>Wraps the source so that its read failures (I/O errors, permissions) become "cannot be read" errors.</summary>
    public sealed class ReadGuard(Stream inner, Func<string> where) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try { return inner.Read(buffer); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw ImageFormatException.In(where(), $"cannot be read ({Clause(e)})");
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>An exception's message as a clause: first line, no trailing period.</summary>
    internal static string Clause(Exception e)
    {
        var text = e.Message.Split('\n')[0].Trim().TrimEnd('.').Replace(". ", "; ");
        return text.Length == 0 ? e.GetType().Name : text;
    }
}
