namespace LlmTools.Bench;

/// <summary>One benchmark scenario; add a class under Scenarios/ and list it in Program.cs.</summary>
internal interface IScenario
{
    /// <summary>Command-line name, e.g. <c>token-count</c>.</summary>
    string Name { get; }

    /// <summary>Group names that also select this scenario, e.g. <c>tokens</c>.</summary>
    IReadOnlyList<string> Groups { get; }

    /// <summary>Heading in the report.</summary>
    string Title { get; }

    /// <summary>What is measured and how, one paragraph of markdown.</summary>
    string Description { get; }

    /// <summary>Runs the scenario and writes its figures; returns 0, or 1 when a correctness check failed.</summary>
    int Run(BenchOptions options, Report report);
}

/// <summary>A scenario that measures in fresh processes: the bench re-launches itself with <c>--child Name</c>.</summary>
internal interface IChildScenario : IScenario
{
    /// <summary>Runs in the fresh process; prints its measurement on standard output.</summary>
    int RunChild(BenchOptions options);
}
