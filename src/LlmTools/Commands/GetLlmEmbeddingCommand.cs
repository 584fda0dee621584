using System.Management.Automation;
using LlmTools.Completion;
using LlmTools.Engine.Embeddings;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Gets embedding vectors for texts, sent in batches and cached per text.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "LlmEmbedding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Get-LlmEmbedding.md")]
[OutputType(typeof(LlmEmbedding))]
[OutputType(typeof(LlmCostEstimate))]
public sealed partial class GetLlmEmbeddingCommand : LlmProviderCmdletBase
{
    // why: after Ctrl+C, requests in flight get this long to wind down before the command returns
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

    private readonly List<(EmbeddingItem Item, int Index, object? Input)> _window = [];
    private EmbeddingService _service = null!;
    private EmbeddingBatch _batch = null!;
    private int _index;
    private int _written;
    private int _requests;
    private bool _isWhatIf;
    private readonly WhatIfReport _whatIf = new();
    private OrderedRunner<List<(EmbeddingItem Item, int Index, object? Input)>, int> _runner = null!;

    /// <summary>Texts to embed; from the pipeline by value or by a Text property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    public string?[] Text { get; set; } = [];

    /// <summary>The piped object, written back as LlmEmbedding.InputObject.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Embedding model (Azure: deployment); default EMBEDDING_MODEL from config.ini.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(EmbeddingModelCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    /// <summary>Shorter vectors (text-embedding-3 models).</summary>
    [Parameter]
    [ValidateRange(1, 16_384)]
    public int? Dimensions { get; set; }

    /// <summary>Texts per request (the API allows up to 2048).</summary>
    [Parameter]
    [ValidateRange(1, EmbeddingLimits.MaxInputsPerRequest)]
    public int BatchSize { get; set; } = 100;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        // why cached by default: a vector never changes for the same model and text
        var settings = ResolveSettings(ProviderOverrides(cacheByDefault: true) with { EmbeddingModel = Model });
        _service = OpenEmbeddings(settings, Dimensions);
        WarnIfRetiring(settings.EmbeddingModel, settings);
        _batch = new EmbeddingBatch(BatchSize);
        _runner = new(ThrottleLimit, CancelToken);
        _isWhatIf = IsWhatIf;
        if (AsBatch)
        {
            BeginBatch(settings);
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var input = PipelineInput.Unwrap(InputObject);
        foreach (var text in Text)
        {
            StopIfUnreachable(_written, _runner);
            var correlated = input is string || input is null ? text : input;
            if (_isWhatIf)
            {
                WriteEstimate(text, correlated);
                continue;
            }

            if (_batchJob is not null)
            {
                AddToBatch(text, correlated);
                continue;
            }

            EmbeddingItem item;
            try
            {
                var preparing = _service.PrepareAsync(text, CancelToken);
                if (!preparing.IsCompleted)
                {
                    Submit(); // why: it waits for holds to settle, and the texts collected so far hold theirs until sent
                }

                item = WaitPumping(preparing);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (Engine.Diagnostics.LlmException ex) when (EndsTheCommand(ex))
            {
                Submit();
                WriteFinished(all: true); // why: the texts before it were let through; they are written first, in order
                StopAtBudget(ex, correlated, _service.Spending, _written);
                return;
            }

            if (!_batch.CanAdd(item))
            {
                Submit();
            }

            _batch.Add(item);
            _window.Add((item, _index++, correlated));
            // why: hits with nothing pending ahead of them go out at once (streaming, no buffering); a long run of
            // hits behind one pending text is bounded too
            if (_batch.IsFull || _batch.PendingCount == 0 || _window.Count >= EmbeddingLimits.MaxInputsPerRequest)
            {
                Submit();
            }
        }

        WriteFinished(all: false);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        _whatIf.Write(this, _service.Spending);
        if (_batchJob is not null)
        {
            EndBatch();
            return;
        }

        Submit();
        WriteFinished(all: true);
        WaitPumping(_service.WhenCacheWritten()); // why: the next command, or another process, finds every vector cached
        if (_requests > 0)
        {
            WriteProgress(new ProgressRecord(1, "Get-LlmEmbedding", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <inheritdoc/>
    protected override void OnEnd()
    {
        foreach (var (item, _, _) in _window)
        {
            item.ReleaseHold(); // why: collected but never sent (the command stopped first); a no-op for sent ones
        }

        base.OnEnd();
    }

    /// <summary>-WhatIf: what the text would cost, counted offline; nothing is sent.</summary>
    private void WriteEstimate(string? text, object? input)
    {
        // why the batch tier under -AsBatch: the job is billed at the batch price, as its budget check counts it
        var (tokens, cached, cost) = _service.Estimate(text ?? string.Empty, AsBatch ? Engine.Batches.BatchService.BatchTier : null);
        var row = new LlmCostEstimate
        {
            Index = _index++,
            Model = _service.Model,
            PromptTokens = tokens,
            CompletionCap = 0,
            Cached = cached,
            MinCost = cost,
            MaxCost = cost,
            Text = text ?? string.Empty,
            InputObject = input,
        };
        _whatIf.Add(row);
        WriteObject(row);
    }

    /// <summary>Hands the collected window to the runner: its batch request (when it needs one) runs beside up to -ThrottleLimit others.</summary>
    private void Submit()
    {
        if (_window.Count == 0)
        {
            return;
        }

        var batch = _batch;
        var window = _window.ToList();
        if (batch.PendingCount > 0)
        {
            _requests++;
            _runner.Submit(window, async token =>
            {
                await _service.SendAsync(batch, token).ConfigureAwait(false);
                return batch.PendingCount;
            });
        }
        else
        {
            _runner.Submit(window, _ => Task.FromResult(0));
        }

        _window.Clear();
        _batch = new EmbeddingBatch(BatchSize);
    }

    /// <summary>Writes the windows whose requests have finished, in input order (all of them when <paramref name="all"/>).</summary>
    private void WriteFinished(bool all)
    {
        foreach (var (window, task) in _runner.Drain(all, WaitPumping))
        {
            Log.Flush(this); // why: cache warnings from Prepare, and requests that ended before we looked
            if (task.IsCanceled || CancelToken.IsCancellationRequested)
            {
                _runner.WaitForAll(StopGracePeriod);
                throw new PipelineStoppedException();
            }

            foreach (var (item, index, input) in window)
            {
                if (item.Error is { } error)
                {
                    WriteError(LlmErrors.From(error, input));
                    NoteFailure(error);
                    continue;
                }

                WriteObject(new LlmEmbedding
                {
                    Text = item.Text,
                    Vector = item.Vector!,
                    Model = _service.Model,
                    Cached = item.Cached,
                    PromptTokens = item.Cached ? 0 : item.PromptTokens,
                    Cost = item.Cost,
                    Index = index,
                    InputObject = input,
                });
                _written++;
            }

            if (_requests > 0)
            {
                WriteProgress(new ProgressRecord(1, "Get-LlmEmbedding", $"{_written} texts done, {_runner.PendingCount} requests in flight ({_requests} sent){RunProgress.Pace(_service.Pacing?.Status())}"));
            }
        }
    }
}
