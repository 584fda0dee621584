namespace LlmTools.Output;

/// <summary>What Get-LlmBatch writes: one provider batch, its status and request counts.</summary>
public sealed class LlmBatchStatus
{
    /// <summary>The provider's batch id.</summary>
    public string BatchId { get; init; } = string.Empty;

    /// <summary>validating, failed, in_progress, finalizing, completed, expired, cancelling or cancelled.</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary>True when the batch changes no more (completed, failed, expired, cancelled).</summary>
    public bool IsFinished { get; init; }

    /// <summary>Requests in the batch.</summary>
    public int Total { get; init; }

    /// <summary>Requests answered.</summary>
    public int Completed { get; init; }

    /// <summary>Requests that failed.</summary>
    public int Failed { get; init; }

    /// <summary>The route its lines call (/v1/chat/completions, /v1/embeddings).</summary>
    public string? Endpoint { get; init; }

    /// <summary>When it was created (UTC).</summary>
    public DateTime? Created { get; init; }

    /// <summary>The file of answered lines, once there is one.</summary>
    public string? OutputFileId { get; init; }

    /// <summary>The file of failed lines, once there is one.</summary>
    public string? ErrorFileId { get; init; }

    /// <summary>Why the provider failed the batch, when it did.</summary>
    public string? Problem { get; init; }
}
