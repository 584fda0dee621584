using System.Diagnostics;
using LlmTools.CacheStress;
using LlmTools.Engine.Caching;

namespace LlmTools.Engine.Tests.Caching;

public sealed class CacheConcurrencyTests : IDisposable
{
    private readonly TempCache _temp = new();

    [Fact]
    public void Many_threads_with_their_own_instances_leave_only_whole_entries()
    {
        const int writers = 6;
        const int iterations = 30;
        using var start = new Barrier(writers);

        var torn = new int[writers];
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            torn[w] = StressWriter.Run(_temp.Directory, $"thread{w}", iterations);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(torn, count => Assert.Equal(0, count));
        AssertEveryEntryWhole(Enumerable.Range(0, writers).Select(w => $"thread{w}"), iterations);
    }

    [Fact]
    public void Several_processes_writing_one_cache_at_once_leave_only_whole_entries()
    {
        const int writers = 3;
        const int iterations = 50;
        var stress = Path.Combine(AppContext.BaseDirectory, "LlmTools.CacheStress.dll");
        var go = Path.Combine(Path.GetDirectoryName(_temp.Directory)!, "go");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        var processes = Enumerable.Range(0, writers).Select(w =>
        {
            var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { stress, _temp.Directory, $"process{w}", iterations.ToString(), go })
            {
                info.ArgumentList.Add(argument);
            }

            return Process.Start(info)!;
        }).ToList();
        File.WriteAllText(go, "go"); // all started: let them write at once

        foreach (var process in processes)
        {
            Assert.True(process.WaitForExit(60_000), "a writer process hung");
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            Assert.True(process.ExitCode == 0, $"writer exit code {process.ExitCode}: {output}");
            process.Dispose();
        }

        AssertEveryEntryWhole(Enumerable.Range(0, writers).Select(w => $"process{w}"), iterations);
    }

    private void AssertEveryEntryWhole(IEnumerable<string> writerNames, int iterations)
    {
        var cache = new FileResponseCache(_temp.Directory);
        var names = writerNames.ToList();

        // nothing lost: every writer's own entries are there, whole; every shared entry is whole (last rename won)
        foreach (var writer in names)
        {
            for (var i = 0; i < iterations; i++)
            {
                var own = cache.TryRead<StressPayload>(StressWriter.OwnKey(writer, i));
                Assert.True(own.IsHit, $"{writer}/{i}: {own.Status} {own.Reason}");
                Assert.True(own.Value!.IsWhole && own.Value.Writer == writer && own.Value.Iteration == i);
            }
        }

        for (var s = 0; s < StressWriter.SharedKeys; s++)
        {
            var shared = cache.TryRead<StressPayload>(StressWriter.SharedKey(s));
            Assert.True(shared.IsHit && shared.Value!.IsWhole && names.Contains(shared.Value.Writer), $"shared {s}: {shared.Status} {shared.Reason}");
        }

        var entries = cache.Enumerate().ToList();
        Assert.Equal((names.Count * iterations) + StressWriter.SharedKeys, entries.Count);
        Assert.DoesNotContain(entries, e => e.IsCorrupt);
        Assert.Empty(Directory.GetFiles(_temp.Directory, "*.tmp", SearchOption.AllDirectories));
    }

    public void Dispose() => _temp.Dispose();
}
