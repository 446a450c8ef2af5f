using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OgActors.Coordinator.Hosting;
using OgActors.Hosting.Configuration;

namespace OgActors.Coordinator.Api;

/// <summary>
/// HTTPS for the operator API: with an https:// <c>og.coordinator.api.url</c>, Kestrel serves the PEM certificate and key
/// of <c>og.coordinator.api.tls</c> (a server certificate of the site CA, from <c>ogctl pki</c>; any PEM pair works).
/// ogctl trusts it through <c>--ca FILE</c> (or OG_CA) or the system's trust store.
/// </summary>
public static class ApiHttps
{
    public static void Use(WebApplicationBuilder builder, CoordinatorSettings settings)
    {
        var certificate = Load(settings.TlsCertificate, settings.TlsKey);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
    }

    public static X509Certificate2 Load(string certificateFile, string keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // Re-imported as PKCS#12: a PEM-loaded key is ephemeral, which TLS stacks do not all accept.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            throw new SettingsException($"Cannot load the API's certificate {certificateFile} with key {keyFile}: {e.Message}");
        }
    }
}
