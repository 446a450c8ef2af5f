using System.Diagnostics;
using OgActors.RepositoryNode;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Incorporation;

// Usage: og-incorporation-bench IMAGES_DIR NAME — incorporates IMAGES_DIR/NAME.img once (as the repository does on
// arrival) and prints "seconds=S state=ready|error read=BYTES" (the bytes the process read(2) meanwhile). Sidecars of an earlier run are replaced.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: og-incorporation-bench IMAGES_DIR NAME");
    return 2;
}
var settings = new RepositoryActorSettings { Name = "bench", ImagesDirectory = args[0] };
var key = new ImageKey("", args[1]);
var stamp = FileStamp.Of(new ImageFiles(args[0], key).Image);
if (stamp is null)
{
    Console.Error.WriteLine($"{args[0]}/{args[1]}.img does not exist.");
    return 1;
}
static long BytesRead() => long.Parse(File.ReadAllLines("/proc/self/io").First(l => l.StartsWith("rchar:"))[6..].Trim());
var readBefore = BytesRead();
var watch = Stopwatch.StartNew();
var outcome = await new Incorporator(settings).IncorporateAsync(key, stamp.Value, CancellationToken.None);
watch.Stop();
var state = outcome is IncorporationOutcome.Incorporated ? "ready" : "error";
var read = BytesRead() - readBefore;
Console.WriteLine($"seconds={watch.Elapsed.TotalSeconds:F3} state={state} read={read} ({(double)read / stamp.Value.Size:F2}x the file)");
if (outcome is IncorporationOutcome.Rejected rejected) Console.WriteLine(rejected.Reason);
return state == "ready" ? 0 : 1;
