using System.Text.Json;
using ImageService.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ImageService.Cli;

internal enum OutputFormat
{
    Table,
    Json,
}

// Results go to stdout: a table for a person, or the service's exact JSON for a script (jq).
internal sealed class Output(CliContext context, OutputFormat format)
{
    // Tables are laid out at their natural width, even past a narrow terminal's edge, as docker and
    // kubectl do: a wrapped id cannot be copied into the next command.
    private const int TableWidth = 1024;

    private IAnsiConsole? _console;

    public OutputFormat Format => format;

    public static Output Create(CliContext context, string? requested) => new(context, requested switch
    {
        "json" => OutputFormat.Json,
        "table" => OutputFormat.Table,
        _ => context.OutIsTerminal ? OutputFormat.Table : OutputFormat.Json,
    });

    public void Write<T>(ScpResponse<T> response, Func<JsonElement, IRenderable> table) => Write(response.Json, table);

    public void Write(string json, Func<JsonElement, IRenderable> table)
    {
        if (format == OutputFormat.Json)
        {
            context.Out.Write(json);
            if (!json.EndsWith('\n'))
            {
                context.Out.WriteLine();
            }

            return;
        }

        using var document = JsonDocument.Parse(json);
        Console.Write(table(document.RootElement));
    }

    // A confirmation for a person; scripts get the exit code, and stdout stays empty as the service's body was.
    public void Message(string text)
    {
        if (format == OutputFormat.Table)
        {
            context.Out.WriteLine(text);
        }
    }

    private IAnsiConsole Console => _console ??= CreateConsole(context.Out, context.OutIsTerminal, TableWidth);

    public static IAnsiConsole CreateConsole(TextWriter writer, bool terminal, int? width = null)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (width is { } fixedWidth)
        {
            console.Profile.Width = fixedWidth;
        }

        return console;
    }
}
