using OgActors.Hosting.Uploads;

namespace OgActors.Repository.Tests.Unicast;

/// <summary>The pure part of upload authorisation: issue, encode, verify (signature, image, repository, expiry).</summary>
public sealed class UploadCapabilityTests
{
    private static readonly byte[] Secret = UploadCapability.NewSecret();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);
    private static readonly UploadCapability Claims = new("win10", "", "pc01", "S1", "repo1", 10_000, Now.AddHours(1));

    private static (UploadCapability? Capability, string? Refusal) Verify(string? token, string image = "win10", string folder = "",
        string repository = "repo1", DateTimeOffset? at = null, byte[]? secret = null) =>
        UploadCapability.Verify(token, [secret ?? Secret], folder, image, repository, at ?? Now);

    [Fact]
    public void A_valid_capability_gives_back_its_claims()
    {
        var (capability, refusal) = Verify(Claims.Encode(Secret));
        refusal.Should().BeNull();
        capability.Should().Be(Claims);
        capability!.Uploader.Should().Be("pc01 in session S1");
    }

    [Fact]
    public void One_of_several_coordinators_secrets_is_enough()
    {
        var other = UploadCapability.NewSecret();
        UploadCapability.Verify(Claims.Encode(Secret), [other, Secret], "", "win10", "repo1", Now).Capability.Should().Be(Claims);
    }

    [Fact]
    public void A_capability_for_another_image_folder_or_repository_is_refused()
    {
        var token = Claims.Encode(Secret);
        Verify(token, image: "win11").Refusal.Should().Be("The upload capability is for image win10, not win11.");
        Verify(token, folder: "ou1").Refusal.Should().Be("The upload capability is for image win10, not ou1/win10.");
        Verify(token, repository: "repo2").Refusal.Should().Contain("is for repository repo1");
    }

    [Fact]
    public void A_wrong_signature_is_refused()
    {
        Verify(Claims.Encode(UploadCapability.NewSecret())).Refusal.Should().Be("The upload capability's signature is not valid.");
        Verify(Claims.Encode(Secret), secret: UploadCapability.NewSecret()).Capability.Should().BeNull();
    }

    [Fact]
    public void An_expired_capability_is_refused()
    {
        var token = Claims.Encode(Secret);
        Verify(token, at: Now.AddHours(1)).Refusal.Should().StartWith("The upload capability for win10 expired at");
        Verify(token, at: Now.AddMinutes(59)).Capability.Should().NotBeNull();
    }

    [Fact]
    public void Tampered_claims_break_the_signature()
    {
        var token = Claims.Encode(Secret);
        var bigger = (Claims with { MaxBytes = long.MaxValue }).Encode(UploadCapability.NewSecret()).Split('.')[0];
        Verify($"{bigger}.{token.Split('.')[1]}").Refusal.Should().Be("The upload capability's signature is not valid.");
        var later = (Claims with { ExpiresAt = Now.AddYears(1), Image = "win11" }).Encode(Secret).Split('.')[0];
        Verify($"{later}.{token.Split('.')[1]}", image: "win11").Capability.Should().BeNull();
    }

    [Fact]
    public void Missing_or_malformed_tokens_and_no_secret_are_refused_with_one_sentence()
    {
        Verify(null).Refusal.Should().Contain("needs the capability the coordinator issued");
        Verify("").Refusal.Should().Contain("needs the capability");
        Verify("garbage").Refusal.Should().Be("The upload capability is malformed.");
        Verify("a.b.c").Refusal.Should().Be("The upload capability is malformed.");
        UploadCapability.Verify(Claims.Encode(Secret), [], "", "win10", "repo1", Now).Refusal.Should().Contain("no upload secret");
        var act = () => Claims.Encode(new byte[8]);
        act.Should().Throw<ArgumentException>();
    }
}
