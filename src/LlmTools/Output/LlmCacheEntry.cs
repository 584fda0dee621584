using LlmTools.Engine.Caching;

namespace LlmTools.Output;

/// <summary>What Get-LlmCache writes: one cached answer, without the answer itself. Pipe it to Clear-LlmCache (binds by Key).</summary>
public sealed class LlmCacheEntry
{
    /// <summary>The content address (SHA-256 of the request); also the file name.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>chat or embedding; empty for an unreadable entry.</summary>
    public string? Kind { get; init; }

    /// <summary>Model or Azure deployment that gave the answer.</summary>
    public string? Model { get; init; }

    /// <summary>OpenAI (or a compatible server) or Azure.</summary>
    public string? Provider { get; init; }

    /// <summary>Host of the endpoint that answered.</summary>
    public string? EndpointHost { get; init; }

    /// <summary>When the answer was stored, local time.</summary>
    public DateTime Created { get; init; }

    /// <summary>Size of the entry file in bytes.</summary>
    public long Size { get; init; }

    /// <summary>The first characters of the input.</summary>
    public string? Preview { get; init; }

    /// <summary>Full path of the entry file.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>True when the file cannot be read as an entry; it is a miss until the next answer replaces it.</summary>
    public bool IsCorrupt { get; init; }

    /// <summary>Why the entry is unreadable; empty when it is fine.</summary>
    public string? Problem { get; init; }

    internal static LlmCacheEntry From(CacheEntryInfo entry) => new()
    {
        Key = entry.Key,
        Kind = entry.Kind,
        Model = entry.Model,
        Provider = entry.Provider,
        EndpointHost = entry.EndpointHost,
        Created = entry.Created.LocalDateTime,
        Size = entry.SizeBytes,
        Preview = entry.Preview,
        Path = entry.Path,
        IsCorrupt = entry.IsCorrupt,
        Problem = entry.Problem,
    };
}
