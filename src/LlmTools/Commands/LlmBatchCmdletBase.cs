using System.Management.Automation;
using System.Net;
using System.Security;
using LlmTools.Engine.Batches;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// What Get-LlmBatch, Receive-LlmBatch and Stop-LlmBatch share: a job (piped, imported with Import-Clixml, or from
/// -JobFile) or batch ids, and the provider to ask. The job names its provider and endpoint; the key comes from the
/// environment or -ApiKey as for every other command, never from the job.
/// </summary>
public abstract class LlmBatchCmdletBase : LlmConnectionCmdletBase
{
    /// <summary>Parameter set of a job object.</summary>
    protected const string JobSet = "Job";

    /// <summary>Parameter set of a job file.</summary>
    protected const string JobFileSet = "JobFile";

    /// <summary>Parameter set of batch ids.</summary>
    protected const string IdSet = "Id";

    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>A job from Send-LlmMessage -AsBatch or Get-LlmEmbedding -AsBatch, or the same object from Import-Clixml.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = JobSet)]
    public PSObject? Job { get; set; }

    /// <summary>A job file written by -JobFile (or Export-Clixml).</summary>
    [Parameter(Mandatory = true, ParameterSetName = JobFileSet)]
    [ValidateNotNullOrEmpty]
    public string? JobFile { get; set; }

    internal PipelineLog Log { get; } = new();

    /// <summary>The job this call names (piped, imported or from -JobFile); null for the Id set. A bad one terminates.</summary>
    internal LlmBatchJob? ResolveJob()
    {
        try
        {
            return ParameterSetName switch
            {
                JobFileSet => BatchJobs.Load(SessionState.Path.GetUnresolvedProviderPathFromPSPath(JobFile)),
                JobSet => BatchJobs.From(Job) ?? throw new LlmException(LlmErrorId.InvalidInput, Job?.BaseObject switch
                {
                    string => $"-Job takes the job Send-LlmMessage -AsBatch or Get-LlmEmbedding -AsBatch wrote, not a batch id: give ids with -Id ('{Job}'), a job file with -JobFile.",
                    FileInfo file => $"-Job takes the job Send-LlmMessage -AsBatch or Get-LlmEmbedding -AsBatch wrote, not a file: -JobFile '{file.FullName}'.",
                    _ => "-Job takes the job Send-LlmMessage -AsBatch or Get-LlmEmbedding -AsBatch wrote (or the same object from Import-Clixml).",
                }),
                _ => null,
            };
        }
        catch (LlmException ex)
        {
            ThrowTerminatingError(LlmErrors.From(ex, Job));
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }

    /// <summary>A batch service for <paramref name="job"/>'s provider and endpoint (or the parameters' and configured ones).</summary>
    internal BatchService OpenBatches(LlmBatchJob? job)
    {
        // why the job's provider, endpoint and api-version under the parameters: a job is asked where it was sent
        var connection = ConnectionOverrides();
        var overrides = connection with
        {
            Provider = connection.Provider ?? (job?.Provider is { } provider ? Enum.Parse<ProviderKind>(provider, ignoreCase: true) : null),
            Endpoint = connection.Endpoint ?? (job is { Endpoint.Length: > 0 } ? new Uri(job.Endpoint) : null),
            ApiVersion = connection.ApiVersion ?? job?.ApiVersion,
            UseCache = job?.UsesCache ?? true,
        };
        var settings = ResolveSettings(overrides);
        try
        {
            return Sessions.Batches(VaultKey.Apply(settings, InvokeCommand), Log);
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

    /// <summary>Waits for <paramref name="task"/> on the pipeline thread, writing the engine's log lines; Ctrl+C cancels it.</summary>
    internal T Pump<T>(Task<T> task)
    {
        Pump((Task)task);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Like <see cref="Pump{T}(Task{T})"/> for a task without a result.</summary>
    internal void Pump(Task task)
    {
        while (!task.IsCompleted && !((IAsyncResult)task).AsyncWaitHandle.WaitOne(PumpInterval))
        {
            Log.Flush(this);
        }

        Log.Flush(this);
        if (task.IsCanceled)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>The output object of a batch's state.</summary>
    internal static LlmBatchStatus Status(BatchState state) => new()
    {
        BatchId = state.Id,
        Status = state.Status,
        IsFinished = state.IsFinished,
        Total = state.Total,
        Completed = state.Completed,
        Failed = state.Failed,
        Endpoint = state.Endpoint,
        Created = state.CreatedAt?.UtcDateTime,
        OutputFileId = state.OutputFileId,
        ErrorFileId = state.ErrorFileId,
        Problem = state.Problem,
    };
}
