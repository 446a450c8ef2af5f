using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>The supervised pipeline itself: streams through real programs, arguments passed unchanged, counters.</summary>
public sealed class ToolPipelineTests
{
    [Fact]
    public async Task Bytes_stream_in_and_out_through_several_real_programs_unchanged()
    {
        var data = new byte[5 * 1024 * 1024 + 123];
        new Random(9).NextBytes(data);
        using var output = new MemoryStream();
        ToolPipelineCounters? last = null;

        await ToolPipeline.RunAsync([new ToolCommand("gzip", "-c", "-1"), new ToolCommand("cat"), new ToolCommand("gzip", "-dc")],
            new MemoryStream(data), output, counters => last = counters);

        output.ToArray().Should().Equal(data);
        last!.InputBytes.Should().Be(data.Length);
        last.OutputBytes.Should().Be(data.Length);
    }

    [Fact]
    public async Task Arguments_reach_the_program_unchanged()
    {
        using var output = new MemoryStream();
        const string tricky = "it's a \"test\" with $HOME, `backticks`, spaces  and ; | & > <";

        await ToolPipeline.RunAsync([new ToolCommand("printf", "%s", tricky)], null, output);

        System.Text.Encoding.UTF8.GetString(output.ToArray()).Should().Be(tricky);
    }

    [Fact]
    public async Task A_killed_stage_is_reported_with_its_signal()
    {
        var act = () => ToolPipeline.RunAsync([new ToolCommand("sh", "-c", "kill -TERM $$")], null, null);

        (await act.Should().ThrowAsync<ToolFailedException>()).Which.Message.Should().Be("sh was killed by signal 15.");
    }
}
