using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OgActors.Ctl.Api;

/// <summary>
/// How ogctl trusts an https:// API: with <c>--ca FILE</c> (or OG_CA) the server's certificate must chain to that CA
/// (the site CA of <c>ogctl pki</c>) and name the host; without, the system's trust store decides, as for any HTTPS.
/// </summary>
public static class ApiTrust
{
    public static HttpMessageHandler Handler(ApiEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler();
        if (endpoint.CaFile.Length == 0) return handler;
        var ca = LoadCa(endpoint.CaFile);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                                    || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
        return handler;
    }

    private static X509Certificate2 LoadCa(string file)
    {
        try { return X509Certificate2.CreateFromPem(File.ReadAllText(file)); }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new CtlException($"Cannot read the CA certificate {file}: {e.Message}", 2);
        }
    }

    /// <summary>One sentence for a TLS failure ("the certificate is not trusted"), or null when it was not one.</summary>
    public static string? Explain(ApiEndpoint endpoint, HttpRequestException e) =>
        e.InnerException is AuthenticationException
            ? $"The coordinator API at {endpoint.Url} presented a certificate ogctl does not trust"
              + (endpoint.CaFile.Length > 0 ? $" (it is not issued by the CA {endpoint.CaFile} for that host name)." : " (give the site CA with --ca FILE or OG_CA).")
            : null;
}
