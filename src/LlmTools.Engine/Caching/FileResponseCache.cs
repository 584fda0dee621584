using System.Collections.Concurrent;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Caching;

/// <summary>
/// The response cache: content-addressed, one small JSON file per entry under <c>&lt;dir&gt;/&lt;first 2 hex&gt;/&lt;key&gt;.json</c>,
/// written atomically (temp file + rename), owner-only on Unix. Safe to share between threads, runspaces and
/// processes: an instance holds its settings and the answers it is still writing, and every write replaces a whole
/// file at once.
/// Chat and embeddings go through <see cref="TryGet{T}"/> and <see cref="Put{T}"/>, which apply the <see cref="Mode"/>.
/// </summary>
public sealed partial class FileResponseCache
{
    // why a margin: machines that share a cache folder disagree on the time by a little
    private static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    // why: answers put but not yet on disk; lookups of this instance find them, so a repeat never goes out again
    private readonly ConcurrentDictionary<string, object> _unwritten = new(StringComparer.Ordinal);
    private Task _writes = Task.CompletedTask;
    private string? _folderProblem;
    private bool _rootCreated;
    private bool _folderChecked;
    private int _folderWarned;

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

    /// <summary>The cache <paramref name="settings"/> name (folder, time-to-live), used in <paramref name="mode"/>.</summary>
    public static FileResponseCache For(Configuration.LlmSettings settings, CacheMode mode = CacheMode.ReadWrite) =>
        new(settings.CacheDirectory, settings.CacheTtl) { Mode = mode };

    /// <summary>Full path of the cache folder.</summary>
    public string DirectoryPath { get; }

    /// <summary>Entries older than this are misses; null keeps them forever.</summary>
    public TimeSpan? TimeToLive { get; }

    /// <summary>What <see cref="TryGet{T}"/> and <see cref="Put{T}"/> may do; ReadWrite unless set.</summary>
    public CacheMode Mode { get; init; } = CacheMode.ReadWrite;

    /// <summary>Where the entry of <paramref name="key"/> lives. No directory scan: a hit costs one file read.</summary>
    public string GetPath(string key)
    {
        if (!CacheKeys.IsValid(key))
        {
            throw new ArgumentException("A cache key is 64 lowercase hex characters (CacheKeys).", nameof(key));
        }

        return CacheFiles.EntryPath(DirectoryPath, key);
    }

    /// <summary>Looks <paramref name="key"/> up. Never throws for what is in the file: bad content is <see cref="CacheReadStatus.Corrupt"/>.</summary>
    public CacheReadResult<T> TryRead<T>(string key)
    {
        var path = GetPath(key);
        if (FolderProblem() is { } untrusted)
        {
            return CacheReadResult<T>.Corrupt(path, untrusted);
        }

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

        if (!CacheEntryFile.TryDecode<CacheEntryFile.Envelope<T>>(bytes, key, out var envelope, out var problem))
        {
            return CacheReadResult<T>.Corrupt(path, problem);
        }

        var metadata = envelope.ToMetadata();
        var created = envelope.Created!.Value;
        var age = _time.GetUtcNow() - created;
        if (TimeToLive is not null && age < -FutureSkew)
        {
            // why: an entry dated in the future would never reach its time-to-live
            return CacheReadResult<T>.Expired(path, metadata, created, $"dated {created:u}, in the future");
        }

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
        var bytes = CacheEntryFile.Encode(key, metadata, _time.GetUtcNow(), value);
        if (bytes.LongLength > CacheFiles.MaxEntryBytes)
        {
            // why: an entry larger than a read accepts would be written on every call and never read back
            throw new IOException($"the answer takes {bytes.LongLength} bytes, more than an entry can hold ({CacheFiles.MaxEntryBytes})");
        }

        if (!_rootCreated)
        {
            CacheFiles.CreatePrivateDirectory(DirectoryPath); // why first: CreateDirectory gives the mode only to the last folder
            _rootCreated = true;
        }

        if (FolderProblem() is { } untrusted)
        {
            throw new IOException(untrusted);
        }

        if (Directory.Exists(path) && FileTrust.EntryProblem(path, out _) is not null)
        {
            Directory.Delete(path, recursive: true); // why: a folder named like the entry would block it forever
        }

        CacheFiles.WriteAtomic(path, bytes);
    }

    /// <summary>
    /// Null when the cache folder may be trusted (<see cref="FileTrust"/>), else why not; checked once per instance
    /// (an instance serves one cmdlet call), and only once the folder exists.
    /// </summary>
    private string? FolderProblem()
    {
        if (!_folderChecked && Directory.Exists(DirectoryPath))
        {
            _folderProblem = FileTrust.FolderProblem(DirectoryPath) is { } problem ? problem + "; the cache is not used until then" : null;
            _folderChecked = true;
        }

        return _folderProblem;
    }

    /// <summary>
    /// The cached value of <paramref name="key"/>, as chat and embeddings look it up: a hit is a verbose line, an
    /// unreadable entry a warning (and a miss), and in replay mode a miss throws <see cref="LlmException"/> (CacheReplayMiss).
    /// </summary>
    public bool TryGet<T>(string key, string model, ILlmLog log, out T value)
    {
        if (_unwritten.TryGetValue(key, out var waiting) && waiting is T unwritten)
        {
            value = unwritten;
            log.Verbose($"Cache hit for '{model}' ({key[..12]}, being written).");
            return true;
        }

        if (WarnUntrustedFolderOnce(log))
        {
            // why one warning per command: the folder, not each entry, is the problem (a 1,000-row run gave 2,000 warnings)
            value = default!;
            return Mode.MissIsError()
                ? throw new LlmException(LlmErrorId.CacheReplayMiss, CacheModes.ReplayMissMessage(key, model, DirectoryPath, CacheReadStatus.Corrupt))
                : false;
        }

        var result = TryRead<T>(key);
        if (result.TryGetValue(out value!))
        {
            log.Verbose($"Cache hit for '{model}' ({key[..12]}, stored {result.Created:u}).");
            return true;
        }

        if (result.Warning is { } warning)
        {
            log.Warning(warning);
        }

        if (Mode.MissIsError())
        {
            throw new LlmException(LlmErrorId.CacheReplayMiss, CacheModes.ReplayMissMessage(key, model, DirectoryPath, result.Status));
        }

        return false;
    }

    /// <summary>
    /// Stores a complete answer when the mode allows, off the request path: the entry is written in the background, one
    /// at a time, while lookups of this instance already find it. A disk problem becomes a warning, never a lost
    /// answer. <see cref="WhenWritten"/> ends when everything put so far is on disk.
    /// </summary>
    public void Put<T>(string key, CacheEntryMetadata metadata, T value, ILlmLog log)
    {
        if (!Mode.CanWrite())
        {
            return;
        }

        _unwritten[key] = value!;
        lock (_unwritten)
        {
            _writes = _writes.ContinueWith(_ => WriteNow(key, metadata, value, log), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Ends when every entry put so far has been written (or has failed with a warning).</summary>
    public Task WhenWritten()
    {
        lock (_unwritten)
        {
            return _writes;
        }
    }

    private void WriteNow<T>(string key, CacheEntryMetadata metadata, T value, ILlmLog log)
    {
        try
        {
            Write(key, metadata, value);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!WarnUntrustedFolderOnce(log))
            {
                log.Warning($"Could not write the cache entry to '{DirectoryPath}': {ex.Message.TrimEnd('.')}. The answer is still returned.");
            }
        }
        finally
        {
            _unwritten.TryRemove(new KeyValuePair<string, object>(key, value!));
        }
    }

    /// <summary>
    /// True when the cache folder is not to be trusted (<see cref="FolderProblem"/>); the first call of this instance
    /// (one cmdlet call) also warns, once, with why and how to fix it.
    /// </summary>
    private bool WarnUntrustedFolderOnce(ILlmLog log)
    {
        if (FolderProblem() is not { } problem)
        {
            return false;
        }

        if (Interlocked.Exchange(ref _folderWarned, 1) == 0)
        {
            log.Warning(char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
        }

        return true;
    }
}
