using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using OgActors.Messages.Sessions;

namespace OgActors.Hosting.Tls;

/// <summary>
/// The bytes a job order's signature covers: a JSON array (unambiguous, whatever the strings hold) of a version tag, the
/// seal's audience (an order for the dispatcher does not pass for one for a computer, nor the other way), the order's type,
/// its session and computer, the SHA-256 of a RunJob's spec ("" for the others), the seal's issue and expiry
/// times (Unix milliseconds) and its nonce. A RunJob's <c>ReplyTo</c> is not covered: an order is bound to one computer,
/// and who may report on that computer's job is the session's check (<c>JobReportSenders</c>).
/// </summary>
public static class JobOrderPayload
{
    public const string Version = "ogactors-job-order/1";

    private static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>What is signed for <paramref name="order"/> under a seal with these times and nonce.</summary>
    public static byte[] Of(IJobOrder order, JobOrderAudience audience, DateTimeOffset issuedAt, DateTimeOffset expiresAt, string nonce) =>
        JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            Version, audience.ToString(), KindOf(order), order.SessionId, order.Computer, order is RunJob run ? SpecDigest(run.Spec) : "",
            issuedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            expiresAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            nonce,
        });

    /// <summary>The SHA-256 (hex) of the spec's JSON: every field, in declaration order, enums by name.</summary>
    public static string SpecDigest(JobSpec spec) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec, SpecJson))).ToLowerInvariant();

    /// <summary>"RunJob", "CancelJob", "JobFinishedAck", "ReleaseComputer": a seal for one kind of order does not fit another.</summary>
    public static string KindOf(IJobOrder order) => order switch
    {
        RunJob => nameof(RunJob),
        CancelJob => nameof(CancelJob),
        JobFinishedAck => nameof(JobFinishedAck),
        ReleaseComputer => nameof(ReleaseComputer),
        _ => order.GetType().Name,
    };
}
