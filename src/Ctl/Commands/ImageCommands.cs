using System.CommandLine;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The image palette: <c>image define|list|show|delete</c> (image objects; <c>delete --repo R</c> deletes a repository's file),
/// <c>image info</c> (ImageInfoCommand, no cluster needed) and <c>image import</c> (the repository's ImageImportCommand).
/// </summary>
public static class ImageCommands
{
    public sealed record FileInfo(string Tool, string Compressor, string Filesystem, long RequiredSizeKiB, long UsedBytes, string OgLine);
    public sealed record Copy(string Repository, string Folder, FileInfo Info, string Sum, string FullSum, string InfoHash, long Size,
        DateTimeOffset ModifiedAt, int Revision, string? State = null, string? Error = null)
    {
        public bool InError => State == "error";
    }
    public sealed record Image(string Canonical, string DisplayName, string SoftwareProfile, int Partition, string PartitionType,
        string Repository, string Comments, int Revision, IReadOnlyList<Copy> Copies, DateTimeOffset DefinedAt, string DefinedBy,
        ProfileSummary? Profile = null);
    /// <summary>The profile read from the image's current revision (issue 17), or its status ("has not been read yet", …).</summary>
    public sealed record ProfileSummary(int Revision, string OperatingSystem, string Version, int Packages, string Line, string Status);

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
            var table = CtlOutput.Table("Canonical", "Name", "Profile", "OS", "Partition", "Revision", "Held by", "Info");
            foreach (var i in images)
                table.AddRow(Markup.Escape(i.Canonical), Markup.Escape(i.DisplayName), Markup.Escape(i.SoftwareProfile), Markup.Escape(OsColumn(i)),
                    $"{i.Partition} {Markup.Escape(i.PartitionType)}",
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
            if (i.Profile is { } read)
                ctx.Output.Line(Markup.Escape(read.Status == "read" ? $"read from revision {read.Revision}: {read.Line} (ogctl profile show {i.Canonical})"
                    : $"read from revision {read.Revision}: the profile {read.Status}"));
            if (i.Copies.Count == 0) { ctx.Output.Line("no repository holds its file yet"); return; }
            var table = CtlOutput.Table("Repository", "Revision", "State", "Info", "Size", "Full sum", "Modified");
            foreach (var c in i.Copies)
                table.AddRow(Markup.Escape(c.Folder.Length > 0 ? $"{c.Repository}/{c.Folder}" : c.Repository), c.Revision.ToString(),
                    Markup.Escape(c.InError ? $"error: {c.Error}" : "ready"), Markup.Escape(c.Info.OgLine),
                    CtlOutput.Bytes(c.Size), Markup.Escape(c.FullSum), Markup.Escape(CtlOutput.When(c.ModifiedAt, DateTimeOffset.UtcNow)));
            ctx.Output.Write(table);
        });

        // `image delete NAME` deletes the image object (the console's definition); with --repo / --folder / --purge it
        // deletes the image FILE from a repository instead, as OpenGnsys's deleteimage does: NAME.img and its sidecars,
        // the previous version kept as NAME.img.ant unless --purge.
        var gone = new Argument<string>("CANONICAL") { Description = "canonical name (OU/NAME for a file in an OU sub-folder)" };
        var fileRepo = new Option<string?>("--repo") { Description = "delete the image file from this repository (not the object)" };
        var fileFolder = new Option<string?>("--folder") { Description = "OU sub-folder of the file in the images directory" };
        var purge = new Option<bool>("--purge") { Description = "with a file: keep no .ant backup (and remove an older one)" };
        var delete = new Command("delete", "delete the image object; with --repo/--folder/--purge, the image file in a repository instead")
            { gone, fileRepo, fileFolder, purge };
        ctx.Action(delete, async (parse, api, ct) =>
        {
            var target = parse.GetValue(gone)!;
            var (repository, folder, wipe) = (parse.GetValue(fileRepo), parse.GetValue(fileFolder) ?? "", parse.GetValue(purge));
            if (repository is null && folder.Length == 0 && !wipe && !target.Contains('/'))
            {
                await api.PostAsync<ClassroomCommands.Done>($"api/images/{Uri.EscapeDataString(target)}/delete", new { }, ct);
                ctx.Output.Line($"image object {Markup.Escape(target)} deleted (its files stay in the repositories)");
                return;
            }
            if (folder.Length == 0 && target.Split('/') is [var f, var n]) (folder, target) = (f, n);
            var query = $"api/images/{Uri.EscapeDataString(target)}?purge={(wipe ? "true" : "false")}"
                        + (folder.Length > 0 ? $"&folder={Uri.EscapeDataString(folder)}" : "")
                        + (repository is not null ? $"&repo={Uri.EscapeDataString(repository)}" : "");
            var result = await api.DeleteAsync<System.Text.Json.JsonElement>(query, ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(result); return; }
            ctx.Output.Line(wipe
                ? $"image file {Markup.Escape(target)}.img deleted (purged, no backup kept)"
                : $"image file {Markup.Escape(target)}.img deleted; the previous version is kept as {Markup.Escape(target)}.img.ant");
        });

        // `image info PATH` (the imaging helper's, no cluster needed) lives in this palette too.
        return new Command("image", "images: define, list, show, delete image objects; info of an image file")
            { define, list, show, delete, ImageInfoCommand.Create(), ImageImportCommand.Create(ctx) };
    }

    /// <summary>"Debian GNU/Linux 12" from the profile read from the current revision; "-" when none; "(reading)" while it is read.</summary>
    private static string OsColumn(Image i) => i.Profile switch
    {
        null => "-",
        { Status: "read", OperatingSystem.Length: 0 } => "unknown",
        { Status: "read" } p => p.Version.Length == 0 || p.OperatingSystem.Contains(p.Version, StringComparison.Ordinal) ? p.OperatingSystem : $"{p.OperatingSystem} {p.Version}",
        { Status: var s } when s.StartsWith("is being read", StringComparison.Ordinal) || s.StartsWith("is queued", StringComparison.Ordinal) => "(reading)",
        _ => "-",
    };

    private static string Holders(Image i) =>
        i.Copies.Count == 0 ? "-" : string.Join(", ", i.Copies.Select(c => c.InError ? $"{c.Repository} (error: {c.Error})"
            : c.Revision == i.Revision ? c.Repository : $"{c.Repository} (r{c.Revision})"));
}
