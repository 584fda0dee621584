namespace LlmTools.Engine.Caching;

/// <summary>
/// The response cache: content-addressed, one small JSON file per entry under <c>&lt;dir&gt;/&lt;first 2 hex&gt;/&lt;key&gt;.json</c>,
/// written atomically (temp file + rename), owner-only on Unix. Safe to share between threads, runspaces and
/// processes: an instance holds nothing but its settings, and every write replaces a whole file at once.
/// </summary>
public sealed class FileResponseCache
{
    private readonly TimeProvider _time;

    /// <param name="directory">Cache folder; created on the first write.</param>
    /// <param name="timeToLive">Entries older than this read as <see cref="CacheReadStatus.Expired"/>; null keeps them forever.</param>
    /// <param name="time">Clock for created times and expiry (tests pass a fake one).</param>
    public FileResponseCache(string directory, TimeSpan? timeToLive = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (timeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "The time-to-live must be positive; pass null to keep entries forever.");
        }

        DirectoryPath = Path.GetFullPath(directory);
        TimeToLive = timeToLive;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Full path of the cache folder.</summary>
    public string DirectoryPath { get; }

    public TimeSpan? TimeToLive { get; }

    /// <summary>
    /// The key of a request: lowercase hex SHA-256 of the canonical JSON of <paramref name="keyMaterial"/>.
    /// Pass a record holding only what decides the answer (kind, provider, endpoint host, model, messages,
    /// sampling options, response format, dimensions), never the API key, timeout or retry settings.
    /// Canonical means: object and dictionary properties sorted by ordinal name, null properties left out (so a new
    /// optional property keeps old keys while unset), numbers in System.Text.Json's invariant round-trip form
    /// (culture never matters; a decimal keeps its scale), enums by name, no whitespace.
    /// </summary>
    public static string ComputeKey<T>(T keyMaterial) => CanonicalJson.Hash(keyMaterial);

    /// <summary>True for 64 lowercase hex characters, the only names the cache reads, writes or removes.</summary>
    public static bool IsValidKey(string? key) => CacheLayout.IsValidKey(key);

    /// <summary>Where the entry of <paramref name="key"/> lives. No directory scan: a hit costs one file read.</summary>
    public string GetPath(string key)
    {
        if (!IsValidKey(key))
        {
            throw new ArgumentException("A cache key is 64 lowercase hex characters (FileResponseCache.ComputeKey).", nameof(key));
        }

        return CacheLayout.EntryPath(DirectoryPath, key);
    }

    /// <summary>Looks <paramref name="key"/> up. Never throws for what is in the file: bad content is <see cref="CacheReadStatus.Corrupt"/>.</summary>
    public CacheReadResult<T> TryRead<T>(string key)
    {
        var path = GetPath(key);
        byte[]? bytes;
        try
        {
            bytes = CacheFiles.ReadAll(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CacheReadResult<T>.Corrupt(path, "cannot read it: " + ex.Message);
        }

        if (bytes is null)
        {
            return CacheReadResult<T>.Miss(path);
        }

        if (!CacheEntryCodec.TryDecode<CacheEnvelope<T>>(bytes, key, out var envelope, out var problem))
        {
            return CacheReadResult<T>.Corrupt(path, problem);
        }

        var metadata = envelope.ToMetadata();
        var created = envelope.Created!.Value;
        var age = _time.GetUtcNow() - created;
        if (TimeToLive is { } ttl && age > ttl)
        {
            return CacheReadResult<T>.Expired(path, metadata, created, $"stored {age:d\\.hh\\:mm\\:ss} ago, time-to-live {ttl:d\\.hh\\:mm\\:ss}");
        }

        return CacheReadResult<T>.Hit(path, envelope.Payload!, metadata, created);
    }

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/>, replacing any entry atomically. Call it only
    /// with a complete answer: a cancelled or failed call writes nothing. Throws IOException or
    /// UnauthorizedAccessException when the folder is not writable; callers turn that into a warning.
    /// </summary>
    public void Write<T>(string key, CacheEntryMetadata metadata, T value)
    {
        var path = GetPath(key);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentException.ThrowIfNullOrWhiteSpace(metadata.Kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(metadata.Model);
        ArgumentException.ThrowIfNullOrWhiteSpace(metadata.Provider);
        ArgumentNullException.ThrowIfNull(value);

        // why: serialize before touching the disk, so a value that cannot be serialized leaves nothing behind
        var bytes = CacheEntryCodec.Encode(key, metadata, _time.GetUtcNow(), value);
        CacheFiles.CreatePrivateDirectory(DirectoryPath); // why first: CreateDirectory gives the mode only to the last folder
        CacheFiles.WriteAtomic(path, bytes);
    }

    /// <summary>Every entry with its metadata (payloads are not kept); temp and foreign files are skipped, corrupt entries flagged.</summary>
    public IEnumerable<CacheEntryInfo> Enumerate()
    {
        foreach (var file in CacheLayout.EntryFiles(DirectoryPath))
        {
            if (ReadInfo(Path.GetFileNameWithoutExtension(file), file) is { } info)
            {
                yield return info;
            }
        }
    }

    /// <summary>The entry of <paramref name="key"/> without its payload, or null when there is none.</summary>
    public CacheEntryInfo? GetEntry(string key) => ReadInfo(key, GetPath(key));

    /// <summary>Deletes the file of <paramref name="entry"/>, found by its key (never by a path from outside); false when already gone.</summary>
    public bool Remove(CacheEntryInfo entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var path = GetPath(entry.Key);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Total bytes of all entry files, without parsing them.</summary>
    public long GetTotalSize() => CacheLayout.EntryFiles(DirectoryPath).Sum(file => new FileInfo(file) is { Exists: true } info ? info.Length : 0);

    /// <summary>
    /// Deletes temp files older than <paramref name="minimumAge"/> and returns the bytes freed. Why: a process
    /// killed between creating its temp file and renaming it leaves one behind. It is never read as an entry, but
    /// it takes room; a live write takes milliseconds, so an old temp file belongs to a dead process.
    /// </summary>
    public long RemoveStaleTempFiles(TimeSpan minimumAge)
    {
        long freed = 0;
        var cutoff = (_time.GetUtcNow() - minimumAge).UtcDateTime;
        foreach (var file in CacheLayout.TempFiles(DirectoryPath))
        {
            var info = new FileInfo(file);
            if (info.Exists && info.LastWriteTimeUtc < cutoff)
            {
                CacheFiles.TryDelete(file);
                freed += File.Exists(file) ? 0 : info.Length;
            }
        }

        return freed;
    }

    private static CacheEntryInfo? ReadInfo(string key, string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }

        var info = new CacheEntryInfo { Key = key, Path = path, SizeBytes = file.Length, Created = file.LastWriteTimeUtc };
        byte[]? bytes;
        try
        {
            bytes = CacheFiles.ReadAll(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return info with { IsCorrupt = true, Problem = "cannot read it: " + ex.Message };
        }

        if (bytes is null)
        {
            return null; // why: removed between the listing and the read
        }

        if (!CacheEntryCodec.TryDecode<CacheEnvelopeHeader>(bytes, key, out var header, out var problem))
        {
            return info with { IsCorrupt = true, Problem = problem, SizeBytes = bytes.Length };
        }

        return info with
        {
            Kind = header.Kind,
            Model = header.Model,
            Provider = header.Provider,
            EndpointHost = header.EndpointHost,
            Created = header.Created!.Value,
            Preview = header.Preview,
            SizeBytes = bytes.Length,
        };
    }
}
