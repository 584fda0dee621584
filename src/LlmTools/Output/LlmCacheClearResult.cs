namespace LlmTools.Output;

/// <summary>What Clear-LlmCache -PassThru writes: one summary of what was removed.</summary>
public sealed class LlmCacheClearResult
{
    /// <summary>Number of entries removed.</summary>
    public int Count { get; init; }

    /// <summary>Bytes freed by the removed entries.</summary>
    public long Bytes { get; init; }

    /// <summary>The cache folder the entries were removed from.</summary>
    public string CachePath { get; init; } = string.Empty;
}
