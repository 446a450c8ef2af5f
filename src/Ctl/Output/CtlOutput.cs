using System.Globalization;
using System.Text.Json;
using OgActors.Ctl.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OgActors.Ctl.Output;

/// <summary>Where a command's result goes: Spectre tables for people, indented JSON for scripts (<c>--json</c>).</summary>
public sealed class CtlOutput(CtlEnvironment env)
{
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(env.Out),
        Ansi = env.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = env.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = env.Interactive ? InteractionSupport.Detect : InteractionSupport.No,
    });

    public IAnsiConsole Console
    {
        get
        {
            // Redirected output (logs, pipes) gets wide tables instead of wrapping at 80 columns.
            if (!env.Interactive) _console.Profile.Width = 200;
            return _console;
        }
    }



    public void Json<T>(T value) => env.Out.WriteLine(JsonSerializer.Serialize(value, ApiClient.Json));

    public void Write(IRenderable renderable) => Console.Write(renderable);

    public void Line(string markup) => Console.MarkupLine(markup);

    public void Error(string sentence) => env.Error.WriteLine($"ogctl: {sentence}");

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns) table.AddColumn(new TableColumn($"[bold]{Markup.Escape(c)}[/]"));
        return table;
    }

    /// <summary>"2026-11-24 17:41:11 (3m ago)" in local time.</summary>
    public static string When(DateTimeOffset at, DateTimeOffset now)
    {
        if (at == DateTimeOffset.MinValue) return "never";
        var ago = now - at;
        var rel = ago.TotalSeconds < 60 ? $"{Math.Max(0, (int)ago.TotalSeconds)}s ago"
            : ago.TotalMinutes < 60 ? $"{(int)ago.TotalMinutes}m ago"
            : ago.TotalHours < 48 ? $"{(int)ago.TotalHours}h ago"
            : $"{(int)ago.TotalDays}d ago";
        return at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + $" ({rel})";
    }

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} B" : value.ToString(value >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
