using System.Management.Automation;
using LlmTools.Engine.Chat;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Embeddings;
using LlmTools.Engine.Sessions;
using LlmTools.Engine.Spending;
using LlmTools.Errors;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// The request parameters Send-LlmMessage and Get-LlmEmbedding share (pacing, budgets, concurrency, cache), over the
/// connection parameters of <see cref="LlmConnectionCmdletBase"/>.
/// </summary>
public abstract class LlmProviderCmdletBase : LlmConnectionCmdletBase
{
    /// <summary>Requests per minute to pace to; default REQUESTS_PER_MINUTE, else the limit the server advertises.</summary>
    [Parameter]
    [ValidateRange(1, 100_000_000)]
    public int? RequestsPerMinute { get; set; }

    /// <summary>Tokens per minute to pace to; default TOKENS_PER_MINUTE, else the limit the server advertises.</summary>
    [Parameter]
    [ValidateRange(1, 2_000_000_000)]
    public int? TokensPerMinute { get; set; }

    /// <summary>Most tokens (prompt and completion) this command may use; it stops before the request that would cross it.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue / 4)]
    public long? TokenBudget { get; set; }

    /// <summary>Most US dollars this command may cost at the models' prices; it stops before the request that would cross it.</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000_000)]
    public decimal? CostBudget { get; set; }

    /// <summary>Requests in flight at once; output stays in input order.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>ReadWrite (default), ReadOnly, or Replay (answers only from the cache; a miss is an error); default CACHE_MODE.</summary>
    [Parameter]
    [ValidateSet("ReadWrite", "ReadOnly", "Replay", IgnoreCase = true)]
    public string? CacheMode { get; set; }

    /// <summary>Neither read nor write the cache for this call.</summary>
    [Parameter]
    public SwitchParameter NoCache { get; set; }

    /// <summary>Sends the items as a batch job on the provider's fleet (half the price, within 24 hours) and writes the job; Receive-LlmBatch gets the results.</summary>
    [Parameter]
    public SwitchParameter AsBatch { get; set; }

    /// <summary>With -AsBatch: also saves the job to this file, for Receive-LlmBatch -JobFile in another session.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JobFile { get; set; }

    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(20);

    internal PipelineLog Log { get; } = new();

    /// <inheritdoc/>
    protected override void OnEnd() => Dispatcher.Dispose();

    /// <summary>Work the engine's tasks post to the pipeline thread (tool calls), run while it waits.</summary>
    internal PipelineDispatcher Dispatcher { get; } = new();

    /// <summary>
    /// Blocks the pipeline thread until <paramref name="task"/> ends, writing the engine's log lines meanwhile
    /// (only this thread may call Write*). Ctrl+C cancels the task through <see cref="LlmCmdletBase.CancelToken"/>.
    /// </summary>
    internal void WaitPumping(Task task)
    {
        var wakers = new[] { ((IAsyncResult)task).AsyncWaitHandle, Dispatcher.Posted };
        while (!task.IsCompleted)
        {
            WaitHandle.WaitAny(wakers, PumpInterval);
            Log.Flush(this);
            Dispatcher.RunPending(); // why here: a tool call posted by a request in flight runs while the pipeline thread waits
        }

        Log.Flush(this);
        Dispatcher.RunPending();
    }

    /// <summary>Like <see cref="WaitPumping(Task)"/>, then the task's result (or its exception).</summary>
    internal T WaitPumping<T>(Task<T> task)
    {
        WaitPumping((Task)task);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// The provider parameters as the strongest settings layer. <paramref name="cacheByDefault"/>: true when this
    /// cmdlet caches unless told not to (embeddings), null when CACHE_API_CALLS decides (chat).
    /// </summary>
    internal SettingsOverrides ProviderOverrides(bool? cacheByDefault) => ConnectionOverrides() with
    {
        RequestsPerMinute = RequestsPerMinute,
        TokensPerMinute = TokensPerMinute,
        CacheMode = CacheMode is null ? null : Enum.Parse<Engine.Caching.CacheMode>(CacheMode, ignoreCase: true),
        UseCache = NoCache ? false : cacheByDefault,
        Budget = TokenBudget is null && CostBudget is null ? null : new BudgetLimits(TokenBudget, CostBudget),
    };

    /// <summary>
    /// True under -Confirm (or $ConfirmPreference Low): each request is confirmed first. Why not ShouldProcess always:
    /// -Verbose would gain a "Performing the operation" line per item of a thousand-row pipeline.
    /// </summary>
    internal bool AsksToConfirm => CommonSwitch("Confirm", "ConfirmPreference", preference => preference is ConfirmImpact.Low);

    /// <summary>True under -WhatIf (or $WhatIfPreference): the command reports what each item would cost and sends nothing.</summary>
    internal bool IsWhatIf => CommonSwitch("WhatIf", "WhatIfPreference", LanguagePrimitives.IsTrue);

    /// <summary>A common switch as given (-WhatIf:$false too), else what its preference variable says.</summary>
    private bool CommonSwitch(string parameter, string preferenceVariable, Func<object?, bool> fromPreference) =>
        MyInvocation.BoundParameters.TryGetValue(parameter, out var given)
            ? given is SwitchParameter { IsPresent: true } or true
            : fromPreference(SessionState.PSVariable.GetValue(preferenceVariable));

    /// <summary>True for the failures that end the whole command: a budget that would be crossed, or one that cannot be kept.</summary>
    internal static bool EndsTheCommand(LlmException ex) => ex.ErrorId is LlmErrorId.BudgetExceeded or LlmErrorId.BudgetUnenforceable;

    private LlmException? _unreachable;

    /// <summary>Remembers that an item failed as EndpointUnreachable with every attempt spent (see <see cref="StopIfUnreachable"/>).</summary>
    internal void NoteFailure(LlmException failure)
    {
        if (failure.ErrorId == LlmErrorId.EndpointUnreachable)
        {
            _unreachable ??= failure;
        }
    }

    /// <summary>
    /// Before the next item is sent: when an earlier one found the endpoint unreachable with every attempt spent, stops
    /// the command. Why: each later item would wait out the same retries (a 1,000-row pipeline to a dead endpoint would
    /// take hours) and fail alike. Requests in flight are cancelled; the answered items were written already. Why only
    /// when another item comes: after the last one, a closing message would only repeat its error.
    /// </summary>
    internal void StopIfUnreachable<TState, TResult>(int answered, OrderedRunner<TState, TResult> runner)
    {
        if (_unreachable is null)
        {
            return;
        }

        CancelRequests();
        runner.WaitForAll(TimeSpan.FromSeconds(10));
        ThrowTerminatingError(LlmErrors.From(
            new LlmException(LlmErrorId.EndpointUnreachable, $"Stopped after {answered} answered item(s): the endpoint cannot be reached, so the items after the failed one were not sent. Run the command again when it is back (with -Cache, answered items then cost nothing)."),
            null));
    }

    /// <summary>
    /// Writes <paramref name="refusal"/> as the error of the item it refused, then stops the command with what was spent.
    /// Why stop: the items after it would cross the budget too, and a script wants one clear end, not a page of errors.
    /// </summary>
    internal void StopAtBudget(LlmException refusal, object? input, CommandSpending spending, int answered)
    {
        WriteError(LlmErrors.From(refusal, input));
        var spent = new[]
        {
            spending.Session.Limits.IsSet ? $"{spending.Session.Name}: {spending.Session.Describe()}" : null,
            spending.Command.Limits.IsSet ? $"this command: {spending.Command.Describe()}" : null,
        }.Where(text => text is not null);
        var record = LlmErrors.From(
            new LlmException(refusal.ErrorId, $"Stopped after {answered} answered item(s): {refusal.Message} So far {string.Join("; ", spent)}. Get-LlmUsage shows the session's totals."),
            null);
        ThrowTerminatingError(record);
    }

    /// <summary>A ready chat service from this runspace's session (see <see cref="Open{T}"/>).</summary>
    internal ChatService OpenChat(LlmSettings settings) => Open(settings, (sessions, ready) => sessions.Chat(ready, Log, estimateOnly: IsWhatIf));

    /// <summary>A ready embedding service from this runspace's session (see <see cref="Open{T}"/>).</summary>
    internal EmbeddingService OpenEmbeddings(LlmSettings settings, int? dimensions) =>
        Open(settings, (sessions, ready) => sessions.Embeddings(ready, Log, dimensions, estimateOnly: IsWhatIf));

    /// <summary>A batch-job service from this runspace's session (see <see cref="Open{T}"/>).</summary>
    internal Engine.Batches.BatchService OpenBatches(LlmSettings settings) => Open(settings, (sessions, ready) => sessions.Batches(ready, Log));

    /// <summary>
    /// Uploads the collected batch and writes its job; the job file (-JobFile) is checked before anything is uploaded,
    /// and when saving it fails anyway the job is still written, with an error that names its batches, so no paid
    /// batch is left that nobody can receive.
    /// </summary>
    internal LlmTools.Output.LlmBatchJob? SubmitBatch(BatchSubmitter submitter, Engine.Batches.BatchLimits limits)
    {
        var path = JobFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(JobFile);
        try
        {
            if (path is not null)
            {
                BatchJobs.CheckWritable(path);
            }

            var job = WaitPumping(submitter.SubmitAsync(limits, CancelToken));
            WriteObject(job);
            if (path is not null)
            {
                try
                {
                    BatchJobs.Save(job, path);
                }
                catch (LlmException ex)
                {
                    WriteError(LlmErrors.From(new LlmException(ex.ErrorId, $"{ex.Message} The batches ({string.Join(", ", job.BatchIds)}) run on; save the job written here: $job | Export-Clixml job.xml."), path));
                }
            }

            return job;
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (LlmException ex)
        {
            ThrowTerminatingError(LlmErrors.From(ex, null));
            return null; // unreachable
        }
    }

    /// <summary>
    /// A service from this runspace's engine session; a missing key or endpoint terminates the command once, with how
    /// to fix it, before any item.
    /// </summary>
    private T Open<T>(LlmSettings settings, Func<SessionRegistry, LlmSettings, T> open)
    {
        try
        {
            var service = open(Sessions, IsWhatIf ? settings : VaultKey.Apply(settings, InvokeCommand));
            if (settings.Cache is { } mode)
            {
                WriteVerbose($"Cache: {settings.CacheDirectory} ({mode}).");
            }

            return service;
        }
        catch (LlmException ex)
        {
            ThrowTerminatingError(LlmErrors.From(ex, null));
            throw; // unreachable: ThrowTerminatingError always throws
        }
        finally
        {
            Log.Flush(this);
        }
    }
}
