using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OgActors.Pki;

/// <summary>Certificates and keys as PEM files: certificates world-readable (0644), keys readable by their owner only (0600).</summary>
public static class PemFiles
{
    public static void WriteCertificate(string path, X509Certificate2 certificate) =>
        Write(path, certificate.ExportCertificatePem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    public static void WriteKey(string path, ECDsa key) =>
        Write(path, key.ExportPkcs8PrivateKeyPem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>Writes a new file with its permissions set before any byte is in it; refuses to replace an existing one.</summary>
    private static void Write(string path, string text, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new PkiException($"'{path}' already exists; remove it first or choose another name.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PkiException($"Cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Reads a certificate (PEM or DER), with one sentence if it cannot be read.</summary>
    public static X509Certificate2 ReadCertificate(string path, string what)
    {
        if (!File.Exists(path)) throw new PkiException($"The {what} '{path}' does not exist.");
        try { return X509CertificateLoader.LoadCertificateFromFile(path); }
        catch (CryptographicException e) { throw new PkiException($"The {what} '{path}' is not a certificate ({e.Message.TrimEnd('.')})."); }
    }

    /// <summary>Reads a certificate with its private key (two PEM files), with one sentence if they do not fit together.</summary>
    public static X509Certificate2 ReadCertificateWithKey(string certificatePath, string keyPath, string what)
    {
        if (!File.Exists(certificatePath)) throw new PkiException($"The {what} certificate '{certificatePath}' does not exist.");
        if (!File.Exists(keyPath)) throw new PkiException($"The {what} key '{keyPath}' does not exist.");
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // An exportable copy: SslStream on Linux needs the key in a form it can hand to OpenSSL.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new PkiException($"The {what} certificate '{certificatePath}' and key '{keyPath}' cannot be used together ({e.Message.TrimEnd('.')}).");
        }
    }
}

/// <summary>A PKI mistake the operator can fix, as one sentence.</summary>
public sealed class PkiException(string message) : Exception(message);
