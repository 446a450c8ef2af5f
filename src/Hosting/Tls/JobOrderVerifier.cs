using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OgActors.Messages.Sessions;
using OgActors.Pki;

namespace OgActors.Hosting.Tls;

/// <summary>
/// Decides whether a computer obeys a job order (pure: no I/O, the time is given). The order must carry a seal for a
/// computer (not one a session made for the job dispatcher) whose certificate chains to the site CA, has the <b>server</b> role and is valid now; whose signature, by that certificate's
/// key, covers this very order (its type, session, computer and spec: <see cref="JobOrderPayload"/>); that is addressed to
/// this computer; that is neither signed in the future nor expired (each by more than <see cref="ClockSkew"/>); and whose
/// nonce this computer has not obeyed before. <see cref="Refusal"/> says which of these fails, in one sentence.
/// <para>The sender's address, which Akka.Remote's envelope carries unauthenticated, plays no part: a student holding a
/// computer certificate of the site can name a coordinator as the sender, but cannot sign as one.</para>
/// <para>The job dispatcher uses one too (audience <see cref="JobOrderAudience.Dispatcher"/>, <see cref="SealRefusal"/>):
/// it takes orders only from sessions that signed them.</para>
/// </summary>
public sealed class JobOrderVerifier(X509Certificate2 siteCa, TimeSpan clockSkew, JobOrderAudience audience = JobOrderAudience.Computer,
    int remembered = 10_000)
{
    private static readonly IReadOnlySet<CertificateRole> Servers = new HashSet<CertificateRole> { CertificateRole.Server };

    private readonly PeerCertificateCheck _signers = new(siteCa, Servers);
    // The nonces of orders obeyed, until their order expires (plus the skew): a replay within that time is refused, a later one has expired.
    private readonly Dictionary<string, DateTimeOffset> _obeyed = new(StringComparer.Ordinal);
    // Signing certificates that passed the signer check, by their DER (base64): the chain is built once per coordinator
    // certificate (about 1 ms), not once per order; a cached one is used only within its validity, else checked again.
    // Only passes are kept, at most TrustedLimit (a site has a few coordinators), so nothing an attacker sends is kept.
    private readonly Dictionary<string, X509Certificate2> _trusted = new(StringComparer.Ordinal);
    private const int TrustedLimit = 64;
    private readonly Lock _lock = new();

    public X509Certificate2 SiteCa => siteCa;

    /// <summary>Whose orders this checks: a computer's (the default) or the job dispatcher's.</summary>
    public JobOrderAudience Audience => audience;

    /// <summary>How far this node's clock may be from the signer's (og.tls.job-orders.clock-skew).</summary>
    public TimeSpan ClockSkew { get; } = clockSkew;

    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>How many obeyed orders' nonces are remembered now (until their orders expire).</summary>
    public int Remembered { get { lock (_lock) return _obeyed.Count; } }

    /// <summary>The verifier of a computer with TLS on (its site CA, og.tls.job-orders.clock-skew); null with TLS off: unsigned orders are obeyed.</summary>
    public static JobOrderVerifier? From(TlsSettings tls, JobOrderAudience audience = JobOrderAudience.Computer) =>
        tls is { Enabled: true, Check: { } check } ? new JobOrderVerifier(check.SiteCa, tls.JobOrderClockSkew, audience) : null;

    /// <summary>
    /// Null when <paramref name="computer"/> may obey <paramref name="order"/> at <paramref name="now"/> (its nonce is then
    /// remembered, so the same order is refused the next time); otherwise the reason it may not.
    /// </summary>
    public string? Refusal(IJobOrder order, string computer, DateTimeOffset now)
    {
        if (SealRefusal(order, now) is { } why) return why;
        if (!string.Equals(order.Computer, computer, StringComparison.OrdinalIgnoreCase))
            return $"it is addressed to computer {order.Computer}, and this is {computer}";
        var nonce = order.Seal!.Nonce;
        lock (_lock)
        {
            if (_obeyed.ContainsKey(nonce)) return $"it was obeyed once already (nonce {nonce}): a replayed order";
            Forget(now);
            _obeyed[nonce] = order.Seal.ExpiresAt + ClockSkew;
        }
        return null;
    }

    /// <summary>
    /// Null when <paramref name="order"/> carries a coordinator's valid signature at <paramref name="now"/>, whoever it is
    /// addressed to (what the job dispatcher asks of the orders sessions hand it); otherwise the reason it does not.
    /// </summary>
    public string? SealRefusal(IJobOrder order, DateTimeOffset now)
    {
        if (order.Seal is not { } seal) return "it is not signed, and with og.tls on only job orders a coordinator signed are obeyed";
        if (seal.Audience != audience)
            return $"it is signed as an order for {Name(seal.Audience)}, not for {Name(audience)}";

        byte[] signature;
        try { signature = Convert.FromBase64String(seal.Signature); }
        catch (FormatException) { return "its seal holds no readable certificate or signature"; }
        if (Signer(seal.Certificate, now, out var certificate) is { } refusal) return refusal;
        if (!Verifies(certificate!, JobOrderPayload.Of(order, seal.Audience, seal.IssuedAt, seal.ExpiresAt, seal.Nonce), signature))
            return $"its signature by '{certificate!.Subject}' does not match its content (the order was altered after it was signed: " +
                   "its type, session, computer, spec or times; or the coordinator runs another release)";
        if (seal.IssuedAt - ClockSkew > now)
            return $"it was signed at {Time(seal.IssuedAt)}, after this node's clock ({Time(now)}) by more than {ClockSkew.TotalMinutes:0.#} min; check both clocks";
        if (seal.ExpiresAt + ClockSkew < now)
            return $"it expired at {Time(seal.ExpiresAt)} (this node's clock says {Time(now)}; allowed skew {ClockSkew.TotalMinutes:0.#} min)";
        return null;
    }

    /// <summary>
    /// The seal's certificate when it is a server certificate of the site valid at <paramref name="now"/> (null refusal),
    /// from the cache when it passed before and is still within its validity; otherwise the refusal.
    /// </summary>
    private string? Signer(string der, DateTimeOffset now, out X509Certificate2? certificate)
    {
        lock (_lock) _trusted.TryGetValue(der, out certificate);
        var at = now.UtcDateTime;
        if (certificate is not null && at >= certificate.NotBefore.ToUniversalTime() && at <= certificate.NotAfter.ToUniversalTime()) return null;

        try { certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(der)); }
        catch (Exception e) when (e is FormatException or CryptographicException) { certificate = null; return "its seal holds no readable certificate or signature"; }
        if (_signers.Refusal(certificate, at) is { } why)
        {
            certificate.Dispose();
            certificate = null;
            return $"it is not signed by a coordinator: {why}";
        }
        lock (_lock)
        {
            if (_trusted.Count >= TrustedLimit) _trusted.Clear(); // (not disposed: another thread may be verifying with one)
            _trusted[der] = certificate;
        }
        return null;
    }

    private static bool Verifies(X509Certificate2 certificate, byte[] payload, byte[] signature)
    {
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is not null) return ecdsa.VerifyData(payload, signature, HashAlgorithmName.SHA256);
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(payload, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Drops the nonces of expired orders; past the limit (never reached by real coordinators), the ones expiring first.</summary>
    private void Forget(DateTimeOffset now)
    {
        if (_obeyed.Count < remembered) return;
        foreach (var (nonce, until) in _obeyed.ToList())
            if (until < now) _obeyed.Remove(nonce);
        foreach (var (nonce, _) in _obeyed.OrderBy(e => e.Value).Take(_obeyed.Count - remembered + 1).ToList())
            _obeyed.Remove(nonce);
    }

    private static string Name(JobOrderAudience a) => a == JobOrderAudience.Computer ? "a computer" : "the job dispatcher";

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
