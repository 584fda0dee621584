using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;

namespace LlmTools.Bench.Scenarios;

/// <summary>
/// Counts the exceptions thrown anywhere in this process while it is alive, caught or not, by type. Why: an
/// exception thrown and caught on a per-item path costs microseconds each and is invisible from the outside.
/// </summary>
internal sealed class FirstChanceCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private long _count;

    public FirstChanceCounter() => AppDomain.CurrentDomain.FirstChanceException += OnException;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Type names (with the parameter, for a parameter binding failure) and how often each was thrown, most first.</summary>
    public IEnumerable<(string Kind, long Count)> ByKind => _byKind.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value));

    /// <summary>Forgets the counts by type (the total keeps counting).</summary>
    public void ResetKinds() => _byKind.Clear();

    public void Dispose() => AppDomain.CurrentDomain.FirstChanceException -= OnException;

    private void OnException(object? sender, FirstChanceExceptionEventArgs e)
    {
        Interlocked.Increment(ref _count);
        var kind = e.Exception is ParameterBindingException { ParameterName: { Length: > 0 } parameter }
            ? $"{e.Exception.GetType().Name} (-{parameter})"
            : e.Exception.GetType().Name;
        _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }
}
