using System.Security.Cryptography;
using OgActors.Imaging.Inspection;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Import;

/// <summary>
/// Brings images made elsewhere into the images directory as NAME.img files:
/// <list type="bullet">
/// <item>an image file, or the first volume of a split multi-volume set: the volumes joined into one file without
///   decompressing (OpenGnsys's <c>cat imagen* &gt;&gt; nuevaimagen</c>);</item>
/// <item>a Clonezilla or FOG image directory: one image per partition, named &lt;dir&gt;-&lt;partition&gt;;</item>
/// <item>another OpenGnsys repository's NAME.img with its .full.sum/.sum: copied and checked against them (not trusted);
///   the sidecars are then made afresh by incorporation.</item>
/// </list>
/// Every copy is written under a temporary name and renamed, so incorporation only ever sees whole files.
/// Nothing is written when any target name is taken or any source cannot be understood.
/// </summary>
public sealed class ImageImporter(string imagesDirectory)
{
    private const int CopyBuffer = 4 << 20;

    private sealed record Plan(ImageKey Key, IReadOnlyList<string> Volumes, PartitionImageInfo Info, string? ExpectedFullSum, string? ExpectedSum);

    public Task<IReadOnlyList<ImportedImage>> ImportAsync(ImportImage command, CancellationToken ct) =>
        Task.Run(() => Import(command, ct), ct);

    private async Task<IReadOnlyList<ImportedImage>> Import(ImportImage command, CancellationToken ct)
    {
        var plans = PlanImport(command);
        var done = new List<ImportedImage>();
        foreach (var plan in plans)
            done.Add(await CopyAsync(plan, ct));
        return done;
    }

    private List<Plan> PlanImport(ImportImage command)
    {
        if (command.Folder.Length > 0 && !ImageKey.IsSafeName(command.Folder))
            throw new ImportException($"'{command.Folder}' is not a valid OU folder name: use letters, digits, '_' and '-' only.");
        if (command.CanonicalName is { Length: > 0 } wanted && !ImageKey.IsSafeName(wanted))
            throw new ImportException($"'{wanted}' is not a valid canonical name: use letters, digits, '_' and '-' only.");
        var source = Path.GetFullPath(command.SourcePath);
        if (!File.Exists(source) && !Directory.Exists(source))
            throw new ImportException($"{command.SourcePath} does not exist on this repository node.");

        List<Plan> plans;
        try
        {
            plans = Directory.Exists(source) ? PlanDirectory(source, command) : [PlanFile(source, command)];
        }
        catch (ImageFormatException e)
        {
            throw new ImportException(e.Message);
        }
        var names = new HashSet<ImageKey>();
        foreach (var plan in plans)
        {
            if (!names.Add(plan.Key))
                throw new ImportException($"Two images of {command.SourcePath} would both be named {plan.Key}.");
            if (File.Exists(new ImageFiles(imagesDirectory, plan.Key).Image))
                throw new ImportException($"Image {plan.Key} already exists; delete it first or import under another --name.");
        }
        return plans;
    }

    private Plan PlanFile(string source, ImportImage command)
    {
        var found = ImageInspector.Inspect(source);
        if (found.Count != 1)
            throw new ImportException($"{source} holds {found.Count} partition images; import its directory instead.");
        var info = found[0];
        var name = command.CanonicalName is { Length: > 0 } n ? n : CanonicalNames.FromFile(source);
        var key = new ImageKey(command.Folder, name);
        var volumes = info.Volumes.Count > 0 ? info.Volumes : [source];

        // Another OpenGnsys repository's NAME.img: its sums come along to be checked, never trusted.
        string? fullSum = null, sum = null;
        if (source.EndsWith(ImageKey.Extension, StringComparison.Ordinal) && volumes.Count == 1)
        {
            fullSum = ReadSum(source + ".full.sum");
            sum = ReadSum(source + ".sum");
        }
        return new Plan(key, volumes, info, fullSum, sum);
    }

    private List<Plan> PlanDirectory(string source, ImportImage command)
    {
        var found = ImageInspector.Inspect(source);
        if (found.Count == 0) throw new ImportException($"{source} holds no partition image.");
        var prefix = command.CanonicalName is { Length: > 0 } n ? n : CanonicalNames.Sanitize(Path.GetFileName(source.TrimEnd('/')));
        return found.Select((info, i) => new Plan(
            new ImageKey(command.Folder, CanonicalNames.FromDirectoryPartition(prefix, info.PartitionName ?? $"p{i + 1}")),
            info.Volumes, info, null, null)).ToList();
    }

    private static string? ReadSum(string path)
    {
        if (!File.Exists(path)) return null;
        var text = File.ReadAllText(path).Trim();
        var token = text.Split([' ', '\t', '\n'], 2)[0].ToLowerInvariant();
        return token.Length == 32 && token.All(char.IsAsciiHexDigit)
            ? token
            : throw new ImportException($"{path} does not hold an MD5 sum.");
    }

    private async Task<ImportedImage> CopyAsync(Plan plan, CancellationToken ct)
    {
        var files = new ImageFiles(imagesDirectory, plan.Key);
        Directory.CreateDirectory(files.Directory);
        var temporary = files.TemporaryName("import");
        try
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var buffer = new byte[CopyBuffer];
            await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                foreach (var volume in plan.Volumes)
                {
                    await using var input = new FileStream(volume, FileMode.Open, FileAccess.Read, FileShare.Read, 1,
                        FileOptions.Asynchronous | FileOptions.SequentialScan);
                    int read;
                    while ((read = await input.ReadAsync(buffer, ct)) > 0)
                    {
                        if (plan.ExpectedFullSum is not null) md5.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), ct);
                    }
                }
                await target.FlushAsync(ct);
            }
            var verified = false;
            if (plan.ExpectedFullSum is not null)
            {
                var actual = Convert.ToHexStringLower(md5.GetHashAndReset());
                if (actual != plan.ExpectedFullSum)
                    throw new ImportException($"{plan.Volumes[0]} does not match its .full.sum (expected {plan.ExpectedFullSum}, read {actual}); nothing was imported.");
                verified = true;
            }
            if (plan.ExpectedSum is not null)
            {
                var actual = LastMiBSum(temporary);
                if (actual != plan.ExpectedSum)
                    throw new ImportException($"{plan.Volumes[0]} does not match its .sum (expected {plan.ExpectedSum}, read {actual}); nothing was imported.");
                verified = true;
            }
            var size = new FileInfo(temporary).Length;
            File.Move(temporary, files.Image, overwrite: false);
            return new ImportedImage(plan.Key.Name, plan.Key.Folder, plan.Volumes, size, plan.Info.OgLine, verified);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>OpenGnsys's NAME.img.sum: the MD5 of the last MiB (<c>tail -c1M | md5sum</c>).</summary>
    private static string LastMiBSum(string path)
    {
        using var stream = File.OpenRead(path);
        stream.Seek(Math.Max(0, stream.Length - (1 << 20)), SeekOrigin.Begin);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
}
