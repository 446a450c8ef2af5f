using System.Security.Cryptography;
using OgActors.ClientNode.Master;

namespace OgActors.ClientNode.Tests.Master;

/// <summary>The master's fan-out: every output gets every byte, a failing output is dropped without stopping the others, the MD5 is the stream's.</summary>
public sealed class FanOutStreamTests
{
    [Fact]
    public async Task Every_output_gets_the_whole_stream_and_the_md5_is_the_streams()
    {
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var a = new MemoryStream();
        var b = new MemoryStream();
        var fan = new FanOutStream([("pc02", a), ("pc03", b)]);
        await new MemoryStream(data).CopyToAsync(fan, 64 * 1024);

        a.ToArray().Should().Equal(data);
        b.ToArray().Should().Equal(data);
        fan.Count.Should().Be(data.Length);
        fan.Md5Hex().Should().Be(Convert.ToHexStringLower(MD5.HashData(data)));
        fan.Dropped.Should().BeEmpty();
    }

    [Fact]
    public async Task An_output_that_fails_is_dropped_and_the_others_go_on_until_none_is_left()
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var good = new MemoryStream();
        var broken = new FailingAfter(100 * 1024);
        var fan = new FanOutStream([("pc02", good), ("pc04", broken)]);
        await new MemoryStream(data).CopyToAsync(fan, 64 * 1024);

        good.ToArray().Should().Equal(data);
        fan.Dropped.Should().ContainKey("pc04").WhoseValue.Should().Contain("pipe broke");

        var alone = new FanOutStream([("pc05", new FailingAfter(0))]);
        var write = async () => await alone.WriteAsync(data);
        await write.Should().ThrowAsync<IOException>().WithMessage("Every receiver of the stream is gone.");
    }

    private sealed class FailingAfter(long limit) : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Length + buffer.Length > limit ? throw new IOException("The pipe broke.") : base.WriteAsync(buffer, cancellationToken);
    }
}
