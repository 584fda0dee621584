namespace LlmTools.Session;

/// <summary>
/// Runs up to <c>throttleLimit</c> requests at once on tasks and hands their results back in input order, on
/// the pipeline thread. Why: concurrency speeds up ops scripts, yet output must line up with input.
/// </summary>
/// <typeparam name="TState">What the caller needs to write the result (input object, request).</typeparam>
/// <typeparam name="TResult">The request's result.</typeparam>
internal sealed class OrderedRunner<TState, TResult>(int throttleLimit, CancellationToken cancellationToken)
{
    private readonly Queue<(TState State, Task<TResult> Task)> _pending = new();
    private readonly SemaphoreSlim _slots = new(throttleLimit);

    /// <summary>Requests submitted and not yet handed back.</summary>
    public int PendingCount => _pending.Count;

    public void Submit(TState state, Func<CancellationToken, Task<TResult>> work) =>
        _pending.Enqueue((state, RunAsync(work)));

    /// <summary>
    /// Finished requests at the head of the queue, in order. Waits for the head while more than
    /// <c>throttleLimit</c> are pending (back-pressure), or for all when <paramref name="all"/>, through
    /// <paramref name="wait"/> (which writes log lines while it waits).
    /// </summary>
    public IEnumerable<(TState State, Task<TResult> Task)> Drain(bool all, Action<Task> wait)
    {
        while (_pending.Count > 0)
        {
            var head = _pending.Peek().Task;
            if (!head.IsCompleted)
            {
                if (!all && _pending.Count < throttleLimit)
                {
                    yield break;
                }

                wait(head);
            }

            yield return _pending.Dequeue();
        }
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) for every request still running, whatever its outcome. Why: after
    /// Ctrl+C the cancelled requests must be finished before the command returns, so nothing runs on behind it.
    /// </summary>
    public void WaitForAll(TimeSpan timeout)
    {
        var running = _pending.Select(p => (Task)p.Task).ToArray();
        Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default).Wait(timeout);
    }

    private async Task<TResult> RunAsync(Func<CancellationToken, Task<TResult>> work)
    {
        // why not cancellable: the work must start to run its own clean-up (a budget hold is given back there); after
        // Ctrl+C it sees the cancelled token at once
        await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
