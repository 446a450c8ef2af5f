using System.Text;

namespace OgActors.Imaging.Bencode;

/// <summary>A bencoded value (BitTorrent BEP 3): a byte string, an integer, a list or a dictionary.</summary>
public abstract record BencodeValue;

/// <summary>A byte string. Torrent names and announce URLs are UTF-8; <c>pieces</c> is raw bytes.</summary>
public sealed record BencodeString(byte[] Bytes) : BencodeValue
{
    public BencodeString(string text) : this(Encoding.UTF8.GetBytes(text)) { }

    public string Text => Encoding.UTF8.GetString(Bytes);

    public bool Equals(BencodeString? other) => other is not null && Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => Text;
}

public sealed record BencodeInteger(long Value) : BencodeValue;

public sealed record BencodeList(IReadOnlyList<BencodeValue> Items) : BencodeValue
{
    public BencodeList(params BencodeValue[] items) : this((IReadOnlyList<BencodeValue>)items) { }

    public bool Equals(BencodeList? other) => other is not null && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => Items.Count;
}

/// <summary>
/// A dictionary. Keys are byte strings; they are written sorted by their raw bytes, as BEP 3 requires,
/// whatever order they were added in.
/// </summary>
public sealed record BencodeDictionary : BencodeValue
{
    private readonly SortedDictionary<byte[], BencodeValue> _entries = new(RawKeyComparer.Instance);

    public BencodeDictionary() { }

    public BencodeDictionary(IEnumerable<KeyValuePair<string, BencodeValue>> entries)
    {
        foreach (var (key, value) in entries) Add(key, value);
    }

    public int Count => _entries.Count;

    /// <summary>Entries in canonical (raw byte) key order.</summary>
    public IEnumerable<KeyValuePair<byte[], BencodeValue>> Entries => _entries;

    public BencodeDictionary Add(string key, BencodeValue value) => Add(Encoding.UTF8.GetBytes(key), value);

    public BencodeDictionary Add(byte[] key, BencodeValue value)
    {
        if (!_entries.TryAdd(key, value))
            throw new ArgumentException($"The dictionary already has the key \"{Encoding.UTF8.GetString(key)}\".", nameof(key));
        return this;
    }

    public BencodeValue? this[string key] => _entries.GetValueOrDefault(Encoding.UTF8.GetBytes(key));

    public bool Equals(BencodeDictionary? other) =>
        other is not null && _entries.Count == other._entries.Count &&
        _entries.Zip(other._entries).All(p => p.First.Key.AsSpan().SequenceEqual(p.Second.Key) && p.First.Value.Equals(p.Second.Value));

    public override int GetHashCode() => _entries.Count;

    internal sealed class RawKeyComparer : IComparer<byte[]>
    {
        public static readonly RawKeyComparer Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
