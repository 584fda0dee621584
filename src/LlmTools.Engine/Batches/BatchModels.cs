namespace LlmTools.Engine.Batches;

/// <summary>What a batch job's lines ask for: chat completions or embeddings.</summary>
public enum BatchKind
{
    /// <summary>/v1/chat/completions lines.</summary>
    Chat,

    /// <summary>/v1/embeddings lines.</summary>
    Embedding,
}

/// <summary>
/// How big one batch input file may be. OpenAI's documented limits (Batch API guide): 50,000 requests and 200 MB per
/// file; Azure's global batch shares the request limit and allows as much, so one default serves both.
/// </summary>
/// <param name="MaxRequests">Lines per file.</param>
/// <param name="MaxBytes">UTF-8 bytes per file, line breaks included.</param>
public sealed record BatchLimits(int MaxRequests, long MaxBytes)
{
    /// <summary>The provider's limits (why 200,000,000 and not 200 MiB: the smaller reading of "200 MB" is always safe).</summary>
    public static readonly BatchLimits Provider = new(50_000, 200_000_000);

    // why: an output file is read whole, and no answer may pass ResponseSizeCap.MaxBytes (100 MiB); keep a tenth spare
    private const long OutputBudget = 90L * 1024 * 1024;

    /// <summary>
    /// The provider's limits, and few enough lines per file that the output file stays readable: an embedding line
    /// answers with a base64 vector of 4 bytes per dimension (3,072 assumed when not asked, the largest OpenAI model's).
    /// </summary>
    public static BatchLimits ForEmbeddings(int? dimensions)
    {
        var perLine = ((dimensions ?? 3072) * 4L * 4 / 3) + 400;
        return Provider with { MaxRequests = (int)Math.Clamp(OutputBudget / perLine, 1, Provider.MaxRequests) };
    }
}

/// <summary>One batch created on the provider: its id and the input file it reads.</summary>
/// <param name="BatchId">The provider's batch id (batch_...).</param>
/// <param name="InputFileId">The uploaded JSONL file (file-...).</param>
/// <param name="Requests">Lines in the file.</param>
/// <param name="Bytes">Size of the file.</param>
/// <param name="FirstLine">Position of the file's first line among all lines of the job.</param>
public sealed record BatchPart(string BatchId, string InputFileId, int Requests, long Bytes, int FirstLine);

/// <summary>A batch as the provider reports it (GET /batches/{id}).</summary>
/// <param name="Id">The batch id.</param>
/// <param name="Status">validating, failed, in_progress, finalizing, completed, expired, cancelling or cancelled.</param>
/// <param name="Total">Requests in the batch (request_counts.total).</param>
/// <param name="Completed">Requests answered.</param>
/// <param name="Failed">Requests that failed.</param>
/// <param name="OutputFileId">The file of answered lines, once there is one.</param>
/// <param name="ErrorFileId">The file of failed lines, once there is one.</param>
/// <param name="Endpoint">The route its lines call.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Problem">The batch's own errors (why validation failed), as one sentence; null when none.</param>
public sealed record BatchState(
    string Id, string Status, int Total, int Completed, int Failed, string? OutputFileId, string? ErrorFileId, string? Endpoint, DateTimeOffset? CreatedAt, string? Problem)
{
    /// <summary>True when the batch will change no more: completed, failed, expired or cancelled.</summary>
    public bool IsFinished => Status is "completed" or "failed" or "expired" or "cancelled";
}

/// <summary>One line of a batch's output or error file, mapped back to its input.</summary>
/// <param name="Index">The input's position (from its custom_id).</param>
/// <param name="StatusCode">The HTTP status of its request; null when it never ran (error file).</param>
/// <param name="Body">The response body as JSON text (a chat completion or an embeddings list) when it succeeded.</param>
/// <param name="Error">Why it failed: the error's code and message; null when it succeeded.</param>
public sealed record BatchLineResult(int Index, int? StatusCode, string? Body, string? Error)
{
    /// <summary>True when the line holds an answer.</summary>
    public bool Succeeded => Error is null && Body is not null && StatusCode is null or (>= 200 and < 300);
}
