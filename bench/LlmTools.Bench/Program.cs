// LlmTools scenario benchmarks: plain Stopwatch runs (warmup + N repetitions, median and min), one scenario
// per file under Scenarios/. Usage: see bench/README.md or run with --help.
using LlmTools.Bench;
using LlmTools.Bench.Scenarios;

IScenario[] scenarios =
[
    new TokenCountScenario(),
    new ImportToFirstCountScenario(),
    new CacheHitScenario(),
];

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage(scenarios));
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage(scenarios));
    return 0;
}

// why: a scenario that needs a fresh process re-launches this program with --child <scenario>
if (options.Child is { } child)
{
    var owner = scenarios.SingleOrDefault(s => s.Name == child) as IChildScenario
        ?? throw new ArgumentException($"No child mode for '{child}'.");
    return owner.RunChild(options);
}

var selected = options.Scenarios.Count == 0
    ? scenarios
    : scenarios.Where(s => options.Scenarios.Contains(s.Name) || s.Groups.Any(options.Scenarios.Contains)).ToArray();
var unknown = options.Scenarios.Where(n => !scenarios.Any(s => s.Name == n || s.Groups.Contains(n))).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown scenario or group: {string.Join(", ", unknown)}");
    Console.Error.WriteLine(BenchOptions.Usage(scenarios));
    return 2;
}

var report = new Report();
report.Header(options, selected);
var exitCode = 0;
foreach (var scenario in selected)
{
    report.Heading(2, scenario.Title);
    report.Line(scenario.Description);
    report.Line();
    exitCode = Math.Max(exitCode, scenario.Run(options, report));
}

report.Line($"- load average at end (1/5/15 min): {Report.LoadAverage()}");
report.Line();
report.Summary();
if (options.MarkdownPath is { } markdownPath)
{
    report.Save(markdownPath);
    Console.WriteLine($"Report written to {Path.GetFullPath(markdownPath)}");
}

return exitCode;
