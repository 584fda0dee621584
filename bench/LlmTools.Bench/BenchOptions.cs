using System.Globalization;

namespace LlmTools.Bench;

/// <summary>Command-line options shared by all scenarios.</summary>
internal sealed class BenchOptions
{
    /// <summary>Scenario or group names to run; empty means all.</summary>
    public List<string> Scenarios { get; } = [];

    /// <summary>Timed repetitions per measurement.</summary>
    public int Repetitions { get; private set; } = 5;

    /// <summary>Untimed repetitions first (JIT tiering, caches, page cache).</summary>
    public int Warmup { get; private set; } = 2;

    /// <summary>Size of the generated text in MiB (at least this many bytes of UTF-8).</summary>
    public double SizeMiB { get; private set; } = 10;

    /// <summary>Fresh processes per cold-start measurement.</summary>
    public int Launches { get; private set; } = 7;

    /// <summary>The module manifest to import; default out/LlmTools/LlmTools.psd1 of this repository.</summary>
    public string ModuleManifest { get; private set; } = string.Empty;

    /// <summary>Also write the report as markdown here.</summary>
    public string? MarkdownPath { get; private set; }

    /// <summary>Keep generated temp files (their paths are printed).</summary>
    public bool KeepFiles { get; private set; }

    /// <summary>Set in a re-launched process: the scenario whose child part to run.</summary>
    public string? Child { get; private set; }

    /// <summary>Child option: skip the trivial engine warm-up command before Import-Module.</summary>
    public bool ColdEngine { get; private set; }

    public bool Help { get; private set; }

    /// <summary>The arguments as given, for the report.</summary>
    public string CommandLine { get; private set; } = string.Empty;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions { CommandLine = string.Join(' ', args) };
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            int NextInt(int min) => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n
                : throw new ArgumentException($"{arg} needs a whole number >= {min}.");
            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    options.Help = true;
                    break;
                case "--reps":
                    options.Repetitions = NextInt(1);
                    break;
                case "--warmup":
                    options.Warmup = NextInt(0);
                    break;
                case "--launches":
                    options.Launches = NextInt(1);
                    break;
                case "--size-mb":
                    options.SizeMiB = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) && mb > 0
                        ? mb
                        : throw new ArgumentException("--size-mb needs a positive number.");
                    break;
                case "--module":
                    options.ModuleManifest = Path.GetFullPath(Next());
                    break;
                case "--markdown":
                    options.MarkdownPath = Next();
                    break;
                case "--keep-files":
                    options.KeepFiles = true;
                    break;
                case "--child":
                    options.Child = Next();
                    break;
                case "--cold-engine":
                    options.ColdEngine = true;
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new ArgumentException($"Unknown option {arg}.");
                    }

                    options.Scenarios.Add(arg);
                    break;
            }
        }

        if (options.ModuleManifest.Length == 0)
        {
            options.ModuleManifest = BenchPaths.ModuleManifest;
        }

        return options;
    }

    public static string Usage(IEnumerable<IScenario> scenarios) =>
        "usage: dotnet run -c Release --project bench/LlmTools.Bench -- [scenario|group ...] [options]\n" +
        "scenarios (default: all):\n" +
        string.Concat(scenarios.Select(s => $"  {s.Name,-24} {s.Title} (groups: {string.Join(", ", s.Groups)})\n")) +
        "options:\n" +
        "  --reps N         timed repetitions (default 5)\n" +
        "  --warmup N       untimed repetitions first (default 2)\n" +
        "  --size-mb N      generated text size in MiB (default 10)\n" +
        "  --launches N     fresh processes for cold-start scenarios (default 7, plus 1 discarded)\n" +
        "  --module PATH    module manifest to import (default out/LlmTools/LlmTools.psd1)\n" +
        "  --markdown PATH  also write the report as markdown\n" +
        "  --keep-files     keep generated temp files";
}
