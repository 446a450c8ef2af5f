using System.CommandLine;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The image palette: <c>image define|list|show|delete</c> (image objects) and <c>image info</c> (ImageInfoCommand). (<c>image delete</c> deletes the image object;
/// deleting a repository's file is <c>repo delete-image</c>.)
/// </summary>
public static class ImageCommands
{
    public sealed record FileInfo(string Tool, string Compressor, string Filesystem, long RequiredSizeKiB, long UsedBytes, string OgLine);
    public sealed record Copy(string Repository, string Folder, FileInfo Info, string Sum, string FullSum, string InfoHash, long Size,
        DateTimeOffset ModifiedAt, int Revision);
    public sealed record Image(string Canonical, string DisplayName, string SoftwareProfile, int Partition, string PartitionType,
        string Repository, string Comments, int Revision, IReadOnlyList<Copy> Copies, DateTimeOffset DefinedAt, string DefinedBy);

    public static Command Create(CtlContext ctx)
    {
        var canonical = new Option<string>("--canonical") { Description = "canonical name = the file name in the repository without .img", Required = true };
        var display = new Option<string>("--name") { Description = "the image's name in the console", Required = true };
        var profile = new Option<string>("--profile") { Description = "software profile (OS and installed software)", Required = true };
        var partition = new Option<int>("--partition") { Description = "partition number the image comes from", Required = true };
        var type = new Option<string>("--type") { Description = "partition type: NTFS, LINUX, EXT4, FAT32, …", Required = true };
        var repo = new Option<string>("--repo") { Description = "the image's repository", Required = true };
        var comments = new Option<string>("--comments") { Description = "comments", Required = true };
        var define = new Command("define", "register an image object (all fields required)") { canonical, display, profile, partition, type, repo, comments };
        ctx.Action(define, async (parse, api, ct) =>
        {
            await api.PostAsync<ClassroomCommands.Done>("api/images", new
            {
                canonical = parse.GetValue(canonical), displayName = parse.GetValue(display), softwareProfile = parse.GetValue(profile),
                partition = parse.GetValue(partition), partitionType = parse.GetValue(type), repository = parse.GetValue(repo), comments = parse.GetValue(comments),
            }, ct);
            ctx.Output.Line($"image [bold]{Markup.Escape(parse.GetValue(canonical)!)}[/] defined");
        });

        var list = new Command("list", "every image object: revision and which repositories hold its file");
        ctx.Action(list, async (parse, api, ct) =>
        {
            var images = await api.GetAsync<List<Image>>("api/images", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(images); return; }
            var table = CtlOutput.Table("Canonical", "Name", "Profile", "Partition", "Revision", "Held by", "Info");
            foreach (var i in images)
                table.AddRow(Markup.Escape(i.Canonical), Markup.Escape(i.DisplayName), Markup.Escape(i.SoftwareProfile), $"{i.Partition} {Markup.Escape(i.PartitionType)}",
                    i.Revision == 0 ? "-" : i.Revision.ToString(), Markup.Escape(Holders(i)),
                    Markup.Escape(i.Copies.OrderByDescending(c => c.Revision).FirstOrDefault()?.Info.OgLine ?? "-"));
            ctx.Output.Write(table);
            ctx.Output.Line($"{images.Count} image(s), {images.Count(i => i.Copies.Count == 0)} without a file");
        });

        var name = new Argument<string>("CANONICAL") { Description = "canonical name" };
        var show = new Command("show", "one image object and the files repositories hold for it") { name };
        ctx.Action(show, async (parse, api, ct) =>
        {
            var i = await api.GetAsync<Image>($"api/images/{Uri.EscapeDataString(parse.GetValue(name)!)}", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(i); return; }
            ctx.Output.Line($"[bold]{Markup.Escape(i.Canonical)}[/]  \"{Markup.Escape(i.DisplayName)}\"  revision {i.Revision}");
            ctx.Output.Line(Markup.Escape($"profile {i.SoftwareProfile}; partition {i.Partition} {i.PartitionType}; repository {i.Repository}; defined by {i.DefinedBy}"));
            ctx.Output.Line(Markup.Escape($"comments: {i.Comments}"));
            if (i.Copies.Count == 0) { ctx.Output.Line("no repository holds its file yet"); return; }
            var table = CtlOutput.Table("Repository", "Revision", "Info", "Size", "Full sum", "Modified");
            foreach (var c in i.Copies)
                table.AddRow(Markup.Escape(c.Folder.Length > 0 ? $"{c.Repository}/{c.Folder}" : c.Repository), c.Revision.ToString(), Markup.Escape(c.Info.OgLine),
                    CtlOutput.Bytes(c.Size), Markup.Escape(c.FullSum), Markup.Escape(CtlOutput.When(c.ModifiedAt, DateTimeOffset.UtcNow)));
            ctx.Output.Write(table);
        });

        var gone = new Argument<string>("CANONICAL") { Description = "canonical name" };
        var delete = new Command("delete", "delete the image object (its files stay in the repositories: see repo delete-image)") { gone };
        ctx.Action(delete, async (parse, api, ct) =>
        {
            await api.PostAsync<ClassroomCommands.Done>($"api/images/{Uri.EscapeDataString(parse.GetValue(gone)!)}/delete", new { }, ct);
            ctx.Output.Line($"image object {Markup.Escape(parse.GetValue(gone)!)} deleted");
        });

        // `image info PATH` (the imaging helper's, no cluster needed) lives in this palette too.
        return new Command("image", "images: define, list, show, delete image objects; info of an image file")
            { define, list, show, delete, ImageInfoCommand.Create() };
    }

    private static string Holders(Image i) =>
        i.Copies.Count == 0 ? "-" : string.Join(", ", i.Copies.Select(c => c.Revision == i.Revision ? c.Repository : $"{c.Repository} (r{c.Revision})"));
}
