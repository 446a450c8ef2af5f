using Akka.Configuration;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Uploads;

namespace OgActors.Coordinator.Repositories;

/// <summary>
/// How the coordinator authorises uploads (<c>og.coordinator.uploads</c>): the secret it signs capabilities with
/// (configured, base64 of at least 32 bytes, the same on every coordinator; or generated at first start into
/// <c>&lt;data-dir&gt;/upload-secret</c>, mode 0600), how long a capability stays valid, and the largest image one allows.
/// </summary>
public sealed record UploadSettings(byte[] Secret, TimeSpan CapabilityLifetime, long MaxImageBytes)
{
    public const string SecretFile = "upload-secret";

    public static UploadSettings From(Config config, NodeSettings node)
    {
        var configured = config.GetString("og.coordinator.uploads.secret", "").Trim();
        byte[] secret;
        if (configured.Length > 0)
        {
            try { secret = Convert.FromBase64String(configured); }
            catch (FormatException) { throw new SettingsException("og.coordinator.uploads.secret must be base64 (e.g. `openssl rand -base64 32`)."); }
            if (secret.Length < UploadCapability.MinSecretBytes)
                throw new SettingsException($"og.coordinator.uploads.secret must hold at least {UploadCapability.MinSecretBytes} bytes.");
        }
        else secret = StoredSecret(node);
        var lifetime = config.GetTimeSpan("og.coordinator.uploads.capability-lifetime", TimeSpan.FromHours(24));
        if (lifetime <= TimeSpan.Zero) throw new SettingsException("og.coordinator.uploads.capability-lifetime must be positive.");
        var max = ByteSize.Parse(config.GetString("og.coordinator.uploads.max-image-size", "2TiB"), "og.coordinator.uploads.max-image-size");
        if (max <= 0) throw new SettingsException("og.coordinator.uploads.max-image-size must be positive.");
        return new UploadSettings(secret, lifetime, max);
    }

    private static byte[] StoredSecret(NodeSettings node)
    {
        var path = Path.Combine(node.EnsureDataDir(), SecretFile);
        if (File.Exists(path))
        {
            try
            {
                var stored = Convert.FromBase64String(File.ReadAllText(path).Trim());
                if (stored.Length >= UploadCapability.MinSecretBytes) return stored;
            }
            catch (FormatException) { }
        }
        var secret = UploadCapability.NewSecret();
        File.WriteAllText(path, Convert.ToBase64String(secret) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }
}
