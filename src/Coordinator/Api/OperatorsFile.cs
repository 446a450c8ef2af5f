using OgActors.Hosting.Configuration;

namespace OgActors.Coordinator.Api;

/// <summary>
/// The operators file (<c>og.coordinator.api.operators-file</c>, default <c>DATA-DIR/operators</c>): one operator a line,
/// <c>NAME ROLE sha256:HEX</c> (ROLE = admin or viewer; HEX = the SHA-256 of the token), '#' starts a comment. It holds no
/// token, only hashes; <c>ogctl operator add</c> writes it. The coordinator reads it again whenever it changes, so adding
/// or removing an operator needs no restart; a file that no longer parses is ignored (the last good one stays) with a log line.
/// </summary>
public sealed class OperatorsFile(string path)
{
    private DateTime _stamp = DateTime.MinValue;
    private long _length = -1;
    private IReadOnlyList<ApiOperator> _operators = [];

    public string Path => path;

    /// <summary>The operators the file holds now (none when it does not exist); throws <see cref="SettingsException"/> on a bad line.</summary>
    public IReadOnlyList<ApiOperator> Read(Action<string>? onBadReload = null)
    {
        var info = new FileInfo(path);
        if (!info.Exists) { _operators = []; _stamp = DateTime.MinValue; _length = -1; return _operators; }
        if (info.LastWriteTimeUtc == _stamp && info.Length == _length) return _operators;
        try
        {
            var parsed = Parse(File.ReadAllLines(path), path);
            (_operators, _stamp, _length) = (parsed, info.LastWriteTimeUtc, info.Length);
        }
        catch (SettingsException e) when (onBadReload is not null)
        {
            onBadReload(e.Message);
            (_stamp, _length) = (info.LastWriteTimeUtc, info.Length); // say it once per change
        }
        return _operators;
    }

    public static IReadOnlyList<ApiOperator> Parse(IEnumerable<string> lines, string source)
    {
        var operators = new List<ApiOperator>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0) continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3)
                throw new SettingsException($"{source} line {number}: expected 'NAME ROLE sha256:HEX', got '{line}'.");
            if (OperatorDirectory.ParseRole(fields[1]) is not { } role)
                throw new SettingsException($"{source} line {number}: the role must be admin or viewer, not '{fields[1]}'.");
            if (OperatorDirectory.ParseHash(fields[2]) is not { } hash)
                throw new SettingsException($"{source} line {number}: the token hash must be sha256: and 64 hex digits (ogctl operator add writes it).");
            if (operators.Any(o => string.Equals(o.Name, fields[0], StringComparison.OrdinalIgnoreCase)))
                throw new SettingsException($"{source} line {number}: operator '{fields[0]}' is named twice.");
            operators.Add(new ApiOperator(fields[0], role, hash));
        }
        return operators;
    }
}
