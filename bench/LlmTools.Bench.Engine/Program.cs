// LlmTools engine micro-benchmarks. Usage: bench/README.md, e.g.
//   dotnet run -c Release --project bench/LlmTools.Bench.Engine -- --filter '*'
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using LlmTools.Bench.Engine;

// why this job: the whole suite in a few minutes on 2 cores; one launch, 3 warmup and 7 measured iterations
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7).WithId("Bench"))
    .AddColumn(new ThroughputColumn())
    .AddColumn(StatisticColumn.Median, StatisticColumn.Min);
BenchmarkSwitcher.FromAssembly(typeof(TokenBenchmarks).Assembly).Run(args, config);
