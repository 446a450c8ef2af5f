using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OgActors.Messages.Sessions;

namespace OgActors.Hosting.Tls;

/// <summary>
/// Signs job orders with this coordinator's own server certificate (og.tls.certificate / og.tls.key): a session signs the
/// RunJob and CancelJob it hands the job dispatcher (audience <see cref="JobOrderAudience.Dispatcher"/>) and each
/// JobFinishedAck; the dispatcher signs every RunJob and CancelJob again as it sends it to a computer (so an order is fresh
/// however long it waited in the queue, and one sent again by a dispatcher that moved to another coordinator carries that
/// coordinator's signature). ECDSA keys (what <c>ogctl pki</c> issues) sign with SHA-256; RSA keys with
/// PKCS#1 v1.5 and SHA-256. Thread-safe: sessions on many threads share one signer.
/// </summary>
public sealed class JobOrderSigner : IDisposable
{
    private readonly string _certificate;
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly Lock _lock = new();

    public JobOrderSigner(X509Certificate2 certificate, TimeSpan lifetime)
    {
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), "A job order must be valid for some time.");
        _ecdsa = certificate.GetECDsaPrivateKey();
        _rsa = _ecdsa is null ? certificate.GetRSAPrivateKey() : null;
        if (_ecdsa is null && _rsa is null)
            throw new ArgumentException($"The certificate '{certificate.Subject}' has no ECDSA or RSA private key to sign job orders with.", nameof(certificate));
        _certificate = Convert.ToBase64String(certificate.RawData);
        Subject = certificate.Subject;
        Lifetime = lifetime;
    }

    /// <summary>The signing certificate's subject, for the log.</summary>
    public string Subject { get; }

    /// <summary>How long after signing an order may be obeyed (og.tls.job-orders.lifetime).</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The signer of a node with TLS on (its certificate, og.tls.job-orders.lifetime); null with TLS off: orders go unsigned.</summary>
    public static JobOrderSigner? From(TlsSettings tls) =>
        tls is { Enabled: true, Certificate: { } certificate } ? new JobOrderSigner(certificate, tls.JobOrderLifetime) : null;

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <paramref name="order"/> with a fresh seal for <paramref name="audience"/> (a computer, unless said otherwise): signed
    /// now, valid for <see cref="Lifetime"/>, with a new nonce.
    /// </summary>
    public T Seal<T>(T order, DateTimeOffset? now = null, JobOrderAudience audience = JobOrderAudience.Computer) where T : IJobOrder
    {
        var issued = now ?? DateTimeOffset.UtcNow;
        var expires = issued + Lifetime;
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var payload = JobOrderPayload.Of(order, audience, issued, expires, nonce);
        byte[] signature;
        lock (_lock)
            signature = _ecdsa is not null
                ? _ecdsa.SignData(payload, HashAlgorithmName.SHA256)
                : _rsa!.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var seal = new JobOrderSeal(audience, _certificate, issued, expires, nonce, Convert.ToBase64String(signature));
        return (T)(IJobOrder)(order switch
        {
            RunJob run => run with { Seal = seal },
            CancelJob cancel => cancel with { Seal = seal },
            JobFinishedAck ack => ack with { Seal = seal },
            ReleaseComputer release => release with { Seal = seal },
            _ => throw new ArgumentException($"{order.GetType().Name} is not a job order this signer knows.", nameof(order)),
        });
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
