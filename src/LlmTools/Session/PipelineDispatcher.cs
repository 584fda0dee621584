using System.Collections.Concurrent;
using System.Management.Automation;

namespace LlmTools.Session;

/// <summary>
/// Work that must run on the pipeline thread (tool calls: PowerShell runs a command, and ShouldProcess asks, only
/// there), posted from the engine's tasks and run when the pipeline thread next waits (<see cref="RunPending"/>).
/// </summary>
internal sealed class PipelineDispatcher : IDisposable
{
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly AutoResetEvent _posted = new(initialState: false);

    /// <summary>Set when work is posted, so a waiting pipeline thread wakes at once.</summary>
    public WaitHandle Posted => _posted;

    /// <summary>Runs <paramref name="work"/> on the pipeline thread; Ctrl+C there (or <paramref name="cancellationToken"/>) cancels the task.</summary>
    public Task<T> InvokeAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        _work.Enqueue(() =>
        {
            using (registration)
            {
                if (done.Task.IsCompleted)
                {
                    return; // why: cancelled while queued; the command is stopping
                }

                try
                {
                    done.TrySetResult(work());
                }
                catch (PipelineStoppedException)
                {
                    done.TrySetCanceled(); // why: Ctrl+C during a tool; the command's own token is cancelled too
                }
                catch (Exception ex)
                {
                    done.TrySetException(ex);
                }
            }
        });
        _posted.Set();
        return done.Task;
    }

    /// <summary>Runs what was posted, in order; only on the pipeline thread.</summary>
    public void RunPending()
    {
        while (_work.TryDequeue(out var work))
        {
            work();
        }
    }

    public void Dispose() => _posted.Dispose();
}
