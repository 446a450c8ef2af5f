using System.CommandLine;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The profile palette: <c>profile show IMAGE [--revision N] [--packages]</c> and
/// <c>profile diff IMAGE_A [IMAGE_B] [--from-revision N] [--to-revision M]</c> — the software profiles repositories
/// read from the images themselves (OS, version, kernels, packages/programs, volume facts, what could not be read).
/// </summary>
public static class ProfileCommands
{
    public sealed record Package(string Name, string Version, string State);
    public sealed record Gap(string What, string Why);
    public sealed record Profile(string Canonical, string Repository, string Folder, string FullSum, int Revision, string Filesystem,
        string OperatingSystem, string Version, string OsId, IReadOnlyList<string> Kernels, string PackageSource, IReadOnlyList<Package> Packages,
        IReadOnlyDictionary<string, string> Facts, IReadOnlyList<string> TopLevel, IReadOnlyList<Gap> Unreadable, long FilesystemBytes,
        long ImageBytes, double ExtractionSeconds, DateTimeOffset ReadAt, string Source, int InstalledCount, string Line);
    public sealed record Change(string Name, string From, string To, bool Upgraded);
    public sealed record Diff(string From, string To, string FromLine, string ToLine, IReadOnlyList<Package> Added, IReadOnlyList<Package> Removed,
        IReadOnlyList<Change> Changed);

    public static Command Create(CtlContext ctx)
    {
        var image = new Argument<string>("IMAGE") { Description = "canonical name of the image" };
        var revision = new Option<int?>("--revision") { Description = "a revision of the image (default: its current one)" };
        var packages = new Option<bool>("--packages") { Description = "list every package / program with its version" };
        var show = new Command("show", "the software profile read from an image: OS, version, kernels, packages, volume facts") { image, revision, packages };
        ctx.Action(show, async (parse, api, ct) =>
        {
            var path = $"api/images/{Uri.EscapeDataString(parse.GetValue(image)!)}/profile" + (parse.GetValue(revision) is { } r ? $"?revision={r}" : "");
            var p = await api.GetAsync<Profile>(path, ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(p); return; }
            var o = ctx.Output;
            o.Line($"[bold]{Markup.Escape(p.Canonical)}[/] revision {p.Revision}: {Markup.Escape(p.Line)}");
            var grid = CtlOutput.Table("Fact", "Value");
            grid.AddRow("operating system", Markup.Escape(p.OperatingSystem.Length == 0 ? "-" : p.OperatingSystem + (p.OsId.Length > 0 ? $" (id {p.OsId})" : "")));
            grid.AddRow("version", Markup.Escape(p.Version.Length == 0 ? "-" : p.Version));
            grid.AddRow("kernels", Markup.Escape(p.Kernels.Count == 0 ? "-" : string.Join(", ", p.Kernels)));
            grid.AddRow(p.PackageSource == "windows" ? "programs" : "packages", p.PackageSource.Length == 0 ? "-"
                : Markup.Escape($"{p.InstalledCount} installed ({p.PackageSource}{(p.Packages.Count > p.InstalledCount ? $"; {p.Packages.Count - p.InstalledCount} more in other states" : "")})"));
            grid.AddRow("filesystem", Markup.Escape($"{p.Filesystem}{(p.FilesystemBytes > 0 ? ", " + CtlOutput.Bytes(p.FilesystemBytes) : "")}"));
            foreach (var (k, v) in p.Facts.OrderBy(f => f.Key, StringComparer.Ordinal)) grid.AddRow(Markup.Escape(k), Markup.Escape(v));
            grid.AddRow("top level", Markup.Escape(p.TopLevel.Count == 0 ? "-" : string.Join(" ", p.TopLevel)));
            grid.AddRow("read", Markup.Escape($"by {p.Repository} in {p.ExtractionSeconds:0.0} s, {CtlOutput.When(p.ReadAt, DateTimeOffset.UtcNow)}; full sum {p.FullSum}"));
            o.Write(grid);
            foreach (var gap in p.Unreadable) o.Line(Markup.Escape($"not read: {gap.What}: {gap.Why}"));
            if (!parse.GetValue(packages)) return;
            var list = CtlOutput.Table("Name", "Version", "State");
            foreach (var pkg in p.Packages) list.AddRow(Markup.Escape(pkg.Name), Markup.Escape(pkg.Version), Markup.Escape(pkg.State));
            o.Write(list);
        });

        var from = new Argument<string>("IMAGE_A") { Description = "the image to compare from" };
        var to = new Argument<string?>("IMAGE_B") { Description = "the image to compare to (default: IMAGE_A, with revisions)", Arity = ArgumentArity.ZeroOrOne };
        var fromRevision = new Option<int?>("--from-revision") { Description = "IMAGE_A's revision (default: current)" };
        var toRevision = new Option<int?>("--to-revision") { Description = "IMAGE_B's revision (default: current)" };
        var diff = new Command("diff", "packages added, removed and upgraded between two images, or two revisions of one") { from, to, fromRevision, toRevision };
        ctx.Action(diff, async (parse, api, ct) =>
        {
            var query = $"api/profiles/diff?from={Uri.EscapeDataString(parse.GetValue(from)!)}"
                        + (parse.GetValue(to) is { Length: > 0 } b ? $"&to={Uri.EscapeDataString(b)}" : "")
                        + (parse.GetValue(fromRevision) is { } fr ? $"&fromRevision={fr}" : "")
                        + (parse.GetValue(toRevision) is { } tr ? $"&toRevision={tr}" : "");
            var d = await api.GetAsync<Diff>(query, ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(d); return; }
            var o = ctx.Output;
            o.Line(Markup.Escape($"from {d.From} ({d.FromLine})"));
            o.Line(Markup.Escape($"to   {d.To} ({d.ToLine})"));
            if (d.Added.Count + d.Removed.Count + d.Changed.Count > 0)
            {
                var table = CtlOutput.Table("", "Package", "Version");
                foreach (var p in d.Added) table.AddRow("[green]added[/]", Markup.Escape(p.Name), Markup.Escape(p.Version));
                foreach (var p in d.Removed) table.AddRow("[red]removed[/]", Markup.Escape(p.Name), Markup.Escape(p.Version));
                foreach (var c in d.Changed) table.AddRow(c.Upgraded ? "upgraded" : "downgraded", Markup.Escape(c.Name), Markup.Escape($"{c.From} → {c.To}"));
                o.Write(table);
            }
            o.Line($"{d.Added.Count} added, {d.Removed.Count} removed, {d.Changed.Count(c => c.Upgraded)} upgraded, {d.Changed.Count(c => !c.Upgraded)} downgraded");
        });

        return new Command("profile", "software profiles read from the images: show, diff; read an image file locally") { show, diff, Read() };
    }

    /// <summary>
    /// <c>profile read PATH [--scratch DIR] [--json]</c>: reads the profile of an image file here, as a repository does
    /// (restore to a sparse scratch file, read with debugfs / ntfs-3g + hivex / mtools, delete it); no cluster needed.
    /// Prints the profile line, what could not be read and <c>seconds=…</c>.
    /// </summary>
    private static Command Read()
    {
        var path = new Argument<string>("PATH") { Description = "an image file (partclone, ntfsclone, dd; any compressor)" };
        var scratch = new Option<string?>("--scratch") { Description = "directory for the scratch copy (default: the image's directory)" };
        var json = new Option<bool>("--json") { Description = "print every field as JSON" };
        var command = new Command("read", "read the software profile of an image file here, without a cluster") { path, scratch, json };
        command.SetAction(async (result, ct) =>
        {
            var (stdout, stderr) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            var image = result.GetValue(path)!;
            if (!File.Exists(image)) { stderr.WriteLine($"ogctl: {image} does not exist."); return 1; }
            var dir = result.GetValue(scratch) ?? Path.GetDirectoryName(Path.GetFullPath(image))!;
            var read = await new Imaging.Profiles.ProfileExtractor(dir).ReadAsync(image, null, ct);
            if (result.GetValue(json))
            {
                stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(read, ApiClient.Json));
                return 0;
            }
            stdout.WriteLine(read.Line);
            if (read.Kernels.Count > 0) stdout.WriteLine($"kernels: {string.Join(", ", read.Kernels)}");
            foreach (var (k, v) in read.Facts.OrderBy(f => f.Key, StringComparer.Ordinal)) stdout.WriteLine($"{k}: {v}");
            foreach (var gap in read.Unreadable) stdout.WriteLine($"not read: {gap.What}: {gap.Why}");
            stdout.WriteLine(System.FormattableString.Invariant($"seconds={read.Elapsed.TotalSeconds:0.000}"));
            return 0;
        });
        return command;
    }
}
