using System.Text;

namespace OgActors.Imaging.Profiles;

/// <summary>
/// Reads Windows' SOFTWARE hive with Debian's hivex tools (<c>hivexget</c>, <c>hivexsh</c>): the edition, version
/// and build (<c>Microsoft\Windows NT\CurrentVersion</c>) and the installed programs (every subkey of
/// <c>…\CurrentVersion\Uninstall</c>, 64- and 32-bit, that has a DisplayName).
/// </summary>
internal static class WindowsHive
{
    private const string CurrentVersion = @"Microsoft\Windows NT\CurrentVersion";
    private static readonly string[] UninstallKeys =
        [@"Microsoft\Windows\CurrentVersion\Uninstall", @"WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"];

    public static async Task ReadAsync(string hive, ProfileBuilder profile, CancellationToken ct)
    {
        var version = await ValuesAsync(hive, CurrentVersion, ct);
        if (version is null)
        {
            profile.CannotRead("operating system", $@"the SOFTWARE hive has no {CurrentVersion} key.");
        }
        else
        {
            profile.OperatingSystem = version.GetValueOrDefault("ProductName", "");
            profile.Version = version.GetValueOrDefault("DisplayVersion") ?? version.GetValueOrDefault("ReleaseId") ?? version.GetValueOrDefault("CurrentVersion", "");
            profile.OsId = "windows";
            var build = version.GetValueOrDefault("CurrentBuild") ?? version.GetValueOrDefault("CurrentBuildNumber");
            if (build is not null) profile.Facts["build"] = Dword(version.GetValueOrDefault("UBR")) is { } ubr ? $"{build}.{ubr}" : build;
            if (version.GetValueOrDefault("EditionID") is { } edition) profile.Facts["edition"] = edition;
            if (profile.OperatingSystem.Length == 0) profile.CannotRead("operating system", $@"{CurrentVersion} has no ProductName.");
        }

        var found = false;
        foreach (var key in UninstallKeys)
        {
            var subkeys = await SubkeysAsync(hive, key, ct);
            if (subkeys is null) continue;
            found = true;
            foreach (var sub in subkeys)
            {
                var values = await ValuesAsync(hive, $@"{key}\{sub}", ct);
                if (values?.GetValueOrDefault("DisplayName") is not { Length: > 0 } name) continue;
                if (values.GetValueOrDefault("SystemComponent") == "dword:00000001") continue;
                profile.Software.Add(new InstalledSoftware(name, values.GetValueOrDefault("DisplayVersion", "")));
            }
        }
        if (found) profile.PackageSource = "windows";
        else profile.CannotRead("programs", @"the SOFTWARE hive has no Microsoft\Windows\CurrentVersion\Uninstall key.");
    }

    /// <summary>A REG_DWORD as hivexget prints it ("dword:00000edb") in decimal, or null.</summary>
    internal static long? Dword(string? value) =>
        value is not null && value.StartsWith("dword:", StringComparison.Ordinal)
        && long.TryParse(value["dword:".Length..], System.Globalization.NumberStyles.HexNumber, null, out var n) ? n : null;

    /// <summary>The values of a key as hivexget prints them (strings unquoted; other types as "dword:…", "hex(N):…"); null if the key is missing.</summary>
    internal static async Task<Dictionary<string, string>?> ValuesAsync(string hive, string key, CancellationToken ct)
    {
        var output = await ProfileTool.RunAsync("hivexget", [hive, key], ct);
        if (output.ExitCode != 0) return null;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in output.Text.Split('\n'))
        {
            if (!line.StartsWith('"')) continue;
            var (name, rest) = ReadQuoted(line, 0);
            if (rest >= line.Length || line[rest] != '=') continue;
            var value = line[(rest + 1)..].TrimEnd('\r');
            values[name] = value.StartsWith('"') ? ReadQuoted(value, 0).Text : value;
        }
        return values;
    }

    private static async Task<IReadOnlyList<string>?> SubkeysAsync(string hive, string key, CancellationToken ct)
    {
        var output = await ProfileTool.RunAsync("hivexsh", [hive], ct, standardInput: $"cd \\{key}\nls\n");
        if (output.ExitCode != 0) return null;
        return output.Text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
    }

    private static (string Text, int Next) ReadQuoted(string s, int at)
    {
        var text = new StringBuilder();
        var i = at + 1;
        for (; i < s.Length && s[i] != '"'; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length) i++;
            text.Append(s[i]);
        }
        return (text.ToString(), i + 1);
    }
}
