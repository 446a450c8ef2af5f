using System.CommandLine;
using System.Text.Json;
using OgActors.Ctl.Commands;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Inspection;

/// <summary>`ogctl image info` run in process, as the console would.</summary>
[Collection(InspectionCollection.Name)]
public sealed class ImageInfoCommandTests(InspectionImages images)
{
    private static (int Exit, string Out, string Err) Run(string path, bool json = false, bool verify = false)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = ImageInfoCommand.Run(path, json, stdout, stderr, verify);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void File_prints_the_opengnsys_line()
    {
        var (exit, output, error) = Run(images.Ext4PartcloneCompressed(Compressor.Lzop));
        exit.Should().Be(0);
        error.Should().BeEmpty();
        output.Should().Be("PARTCLONE:LZOP:EXTFS:32768" + Environment.NewLine);
    }

    [Fact]
    public void Verify_walks_the_whole_image_and_fails_with_one_sentence_on_damage()
    {
        var intact = images.Ext4PartcloneCompressed(Compressor.Lzop);
        Run(intact, verify: true).Should().Be((0, "PARTCLONE:LZOP:EXTFS:32768" + Environment.NewLine, ""));

        var cut = images.Factory.TruncatedCopy(intact, new FileInfo(intact).Length / 2, "cli/cut.pcl.lzo");
        Run(cut).Exit.Should().Be(0, "the head alone is intact");
        var (exit, output, error) = Run(cut, verify: true);
        exit.Should().Be(1);
        output.Should().BeEmpty();
        error.Trim().Should().Contain("cut.pcl.lzo").And.Contain("offset").And.NotContain("\n");
    }

    [Fact]
    public void Directory_prints_a_prefixed_line_per_partition()
    {
        var dir = images.Factory.FogDirectory("cli/fog", (images.Ext4Partclone, "d1p1.img"), (images.NtfsNtfsclone, "d1p2.img"));
        var (exit, output, _) = Run(dir);
        exit.Should().Be(0);
        output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal("d1p1 PARTCLONE:NONE:EXTFS:32768", "d1p2 NTFSCLONE:NONE:NTFS:32768");
    }

    [Fact]
    public void Json_prints_every_field()
    {
        var (exit, output, _) = Run(images.Ext4PartcloneCompressed(Compressor.Zstd), json: true);
        exit.Should().Be(0);
        var root = JsonDocument.Parse(output).RootElement;
        root.GetProperty("tool").GetString().Should().Be("PARTCLONE");
        root.GetProperty("compressor").GetString().Should().Be("ZSTD");
        root.GetProperty("filesystem").GetString().Should().Be("EXTFS");
        root.GetProperty("requiredSizeKiB").GetInt64().Should().Be(32768);
        root.GetProperty("deviceSizeBytes").GetInt64().Should().Be(32L << 20);
        root.GetProperty("formatVersion").GetString().Should().Be("0002");
        root.GetProperty("usedBlocks").GetInt64().Should().BeGreaterThan(0);
        root.GetProperty("volumes").GetArrayLength().Should().Be(1);
        foreach (var name in new[] { "toolVersion", "blockSize", "totalBlocks", "usedBytes", "checksumMode", "storedSize", "ogLine", "verified" })
            root.TryGetProperty(name, out _).Should().BeTrue(name);
    }

    [Fact]
    public void Bad_input_exits_1_with_one_sentence_on_stderr()
    {
        var random = new byte[4096];
        new Random(1).NextBytes(random);
        foreach (var path in new[] { images.Factory.Bytes("cli/random.img", random), images.Factory.PathOf("cli/missing.img"), "/proc/self/mem" })
        {
            var (exit, output, error) = Run(path);
            exit.Should().Be(1);
            output.Should().BeEmpty();
            error.Trim().Should().NotContain("\n").And.NotContain(" at OgActors").And.EndWith(".");
        }
    }

    [Fact]
    public void Command_parses_as_ogctl_image_info()
    {
        var root = new RootCommand { new Command("image") { ImageInfoCommand.Create() } };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };

        root.Parse(["image", "info", images.Ext4PartcloneCompressed(Compressor.Gzip)]).Invoke(config).Should().Be(0);
        stdout.ToString().Trim().Should().Be("PARTCLONE:GZIP:EXTFS:32768");

        stdout.GetStringBuilder().Clear();
        root.Parse(["image", "info", "--json", images.NtfsNtfsclone]).Invoke(config).Should().Be(0);
        JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("tool").GetString().Should().Be("NTFSCLONE");

        root.Parse(["image", "info", images.Factory.PathOf("cli/absent.img")]).Invoke(config).Should().Be(1);
        stderr.ToString().Should().Contain("absent.img: no such file.");
    }
}
