namespace OgActors.Imaging.Compression;

/// <summary>
/// LZO1X block decompressor (what lzop's methods 1–3, LZO1X-1/-1(15)/-999, all decode with).
/// Bounds-checked: corrupt input throws <see cref="InvalidDataException"/>, never reads or writes out of range.
/// </summary>
public static class Lzo1x
{
    /// <summary>Decompresses one LZO1X block into <paramref name="output"/>; returns the number of bytes written.</summary>
    public static int Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0, op = 0, state = 0, t;
        int next;

        if (input.Length == 0) throw Corrupt("empty block");
        if (input[0] > 17)
        {
            // A first literal run; fewer than 4 literals count as a short literal tail.
            t = input[ip++] - 17;
            CopyLiterals(input, ref ip, output, ref op, t);
            state = t < 4 ? t : 4;
        }

        while (true)
        {
            t = Byte(input, ip++);
            int mPos;
            if (t < 16)
            {
                if (state == 0)
                {
                    // A literal run of 4 or more bytes.
                    if (t == 0) t = 15 + ExtendedLength(input, ref ip);
                    t += 3;
                    CopyLiterals(input, ref ip, output, ref op, t);
                    state = 4;
                    continue;
                }
                if (state != 4)
                {
                    // A 2-byte match within 1 KiB right after a short literal tail.
                    next = t & 3;
                    mPos = op - 1 - (t >> 2) - (Byte(input, ip++) << 2);
                    CopyMatch(output, ref op, mPos, 2);
                    goto MatchNext;
                }
                // A 3-byte match 2–3 KiB back right after a literal run.
                next = t & 3;
                mPos = op - (1 + 0x0800) - (t >> 2) - (Byte(input, ip++) << 2);
                t = 3;
            }
            else if (t >= 64)
            {
                // M2: 3–8 bytes, up to 2 KiB back.
                next = t & 3;
                mPos = op - 1 - ((t >> 2) & 7) - (Byte(input, ip++) << 3);
                t = (t >> 5) + 1;
            }
            else if (t >= 32)
            {
                // M3: up to 16 KiB back.
                t &= 31;
                if (t == 0) t = 31 + ExtendedLength(input, ref ip);
                t += 2;
                int le = Le16(input, ip);
                ip += 2;
                mPos = op - 1 - (le >> 2);
                next = le & 3;
            }
            else
            {
                // M4: 16–48 KiB back, or the end-of-stream marker.
                mPos = op - ((t & 8) << 11);
                t &= 7;
                if (t == 0) t = 7 + ExtendedLength(input, ref ip);
                t += 2;
                int le = Le16(input, ip);
                ip += 2;
                mPos -= le >> 2;
                next = le & 3;
                if (mPos == op)
                {
                    if (t != 3) throw Corrupt("malformed end marker");
                    if (ip != input.Length) throw Corrupt($"{input.Length - ip} bytes after the end marker");
                    return op;
                }
                mPos -= 0x4000;
            }
            CopyMatch(output, ref op, mPos, t);

        MatchNext:
            state = next;
            if (next > 0) CopyLiterals(input, ref ip, output, ref op, next);
        }
    }

    private static int ExtendedLength(ReadOnlySpan<byte> input, ref int ip)
    {
        long zeros = 0;
        while (Byte(input, ip) == 0)
        {
            ip++;
            zeros += 255;
            if (zeros > int.MaxValue / 2) throw Corrupt("run length overflows");
        }
        return (int)zeros + input[ip++];
    }

    private static void CopyLiterals(ReadOnlySpan<byte> input, ref int ip, Span<byte> output, ref int op, int count)
    {
        if (ip + count > input.Length) throw Corrupt("literal run past the end of the input");
        if (op + count > output.Length) throw Corrupt("output larger than the block's declared size");
        input.Slice(ip, count).CopyTo(output[op..]);
        ip += count;
        op += count;
    }

    private static void CopyMatch(Span<byte> output, ref int op, int mPos, int length)
    {
        if (mPos < 0) throw Corrupt("match refers before the start of the output");
        if (op + length > output.Length) throw Corrupt("output larger than the block's declared size");
        int distance = op - mPos;
        if (distance >= length)
        {
            output.Slice(mPos, length).CopyTo(output[op..]);
            op += length;
        }
        else
        {
            // An overlapping match repeats the last `distance` bytes: copy whole periods, doubling each time.
            while (length > 0)
            {
                int n = Math.Min(op - mPos, length);
                output.Slice(mPos, n).CopyTo(output[op..]);
                op += n;
                length -= n;
            }
        }
    }

    private static int Byte(ReadOnlySpan<byte> input, int ip) =>
        ip < input.Length ? input[ip] : throw Corrupt("input ends inside an instruction");

    private static int Le16(ReadOnlySpan<byte> input, int ip) =>
        ip + 1 < input.Length ? input[ip] | (input[ip + 1] << 8) : throw Corrupt("input ends inside a match");

    private static InvalidDataException Corrupt(string what) => new($"corrupt LZO1X block: {what}");
}
