namespace LlmTools.Output;

/// <summary>
/// What Send-LlmMessage -AsBatch and Get-LlmEmbedding -AsBatch write: a batch job on the provider's fleet, with what
/// Receive-LlmBatch needs to turn its results into the synchronous path's objects, in input order, on any machine.
/// Save it with Export-Clixml (Receive-LlmBatch takes the imported object) or -JobFile. It never holds a key.
/// Why parallel arrays per input and not an object per input: Export-Clixml keeps flat arrays whole at its default
/// depth, and one job may hold 100,000 inputs.
/// </summary>
public sealed class LlmBatchJob
{
    /// <summary>Chat or Embedding.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>OpenAI or Azure.</summary>
    public string Provider { get; set; } = string.Empty;

    /// <summary>The endpoint the batches run at (never with credentials or a query).</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The Azure api-version of the routes (classic Azure endpoints only).</summary>
    public string? ApiVersion { get; set; }

    /// <summary>The model (Azure: the global-batch deployment) every request names.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Embedding dimensions asked for, if any.</summary>
    public int? Dimensions { get; set; }

    /// <summary>True when answers are JSON (-JsonSchema, -Json): Receive-LlmBatch parses them into Data.</summary>
    public bool ParsesJson { get; set; }

    /// <summary>True when Send-LlmMessage had -MergeInput: Receive-LlmBatch writes each input row with the answer's columns.</summary>
    public bool MergeInput { get; set; }

    /// <summary>True when results go into the cache (the default; -NoCache turns it off).</summary>
    public bool UsesCache { get; set; }

    /// <summary>When the job was submitted (UTC).</summary>
    public DateTime Submitted { get; set; }

    /// <summary>The provider's batch ids, one per input file.</summary>
    public string[] BatchIds { get; set; } = [];

    /// <summary>
    /// Per batch: the first input it covers. Why: the files are split in input order, so each batch answers one
    /// contiguous range of inputs, and Receive-LlmBatch reads one batch's output at a time, holding only its results.
    /// </summary>
    public int[] BatchStarts { get; set; } = [];

    /// <summary>The uploaded input files, one per batch.</summary>
    public string[] InputFileIds { get; set; } = [];

    /// <summary>Inputs in the job.</summary>
    public int Count => CacheKeys.Length;

    /// <summary>Inputs sent to the provider (the others were in the cache already).</summary>
    public int Sent { get; set; }

    /// <summary>Per input: its cache key (null without the cache).</summary>
    public string?[] CacheKeys { get; set; } = [];

    /// <summary>Per input: true when its answer was in the cache at submit, so it was not sent.</summary>
    public bool[] FromCache { get; set; } = [];

    /// <summary>
    /// Per input answered from the cache at submit: that answer as JSON (the chat result, or the vector), else null.
    /// Why kept in the job: it is received on another machine too, whose cache never held it.
    /// </summary>
    public string?[] CachedAnswers { get; set; } = [];

    /// <summary>Per input: the text embedded, or the chat's messages as JSON ([{"role","content","name"}]).</summary>
    public string[] Texts { get; set; } = [];

    /// <summary>Per input: the pipeline object, re-attached as InputObject.</summary>
    public object?[] InputObjects { get; set; } = [];

    /// <summary>"Chat job of 3 inputs: batch_abc".</summary>
    public override string ToString() => $"{Kind} job of {Count} inputs: {string.Join(", ", BatchIds)}";
}
