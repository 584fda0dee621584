namespace LlmTools.Engine.Caching;

/// <summary>One entry file as <see cref="FileResponseCache.Enumerate"/> sees it, without its payload.</summary>
public sealed record CacheEntryInfo
{
    /// <summary>The content address: lowercase hex SHA-256 of the request (also the file name).</summary>
    public required string Key { get; init; }

    /// <summary>"chat" or "embedding"; null when the entry is corrupt.</summary>
    public string? Kind { get; init; }

    public string? Model { get; init; }

    public string? Provider { get; init; }

    public string? EndpointHost { get; init; }

    /// <summary>When the answer was stored (UTC); for a corrupt entry, the file's last write time.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Size of the entry file in bytes.</summary>
    public long SizeBytes { get; init; }

    /// <summary>Full path of the entry file.</summary>
    public required string Path { get; init; }

    /// <summary>The first characters of the input.</summary>
    public string? Preview { get; init; }

    /// <summary>The file cannot be read as an entry; it is a miss until the next write of that request replaces it.</summary>
    public bool IsCorrupt { get; init; }

    /// <summary>Why the entry is corrupt; null when it is not.</summary>
    public string? Problem { get; init; }

    /// <summary>The warning to show for a corrupt entry (same words as a lookup's); null when it is not corrupt.</summary>
    public string? Warning => IsCorrupt ? CacheEntryCodec.CorruptWarning(Path, Problem) : null;
}
