namespace LlmTools.Engine.Caching;

/// <summary>The cache as Get-LlmCache and Clear-LlmCache see it: entries without payloads, removal, stale temp files.</summary>
public sealed partial class FileResponseCache
{
    /// <summary>Every entry with its metadata (payloads are not kept); temp and foreign files are skipped, corrupt entries flagged.</summary>
    public IEnumerable<CacheEntryInfo> Enumerate()
    {
        foreach (var file in CacheFiles.EntryFiles(DirectoryPath))
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
        if (FileTrust.EntryProblem(path, out var exists) is not null && Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true); // why: a folder named like an entry is cache debris
            return true;
        }

        if (!exists)
        {
            return false;
        }

        File.Delete(path); // why safe for links and FIFOs: unlink removes the name, never what it points to, and never opens it
        return true;
    }

    /// <summary>
    /// Deletes temp files older than <paramref name="minimumAge"/> and returns the bytes freed. Why: a process
    /// killed between creating its temp file and renaming it leaves one behind. It is never read as an entry, but
    /// it takes room; a live write takes milliseconds, so an old temp file belongs to a dead process.
    /// </summary>
    public long RemoveStaleTempFiles(TimeSpan minimumAge)
    {
        long freed = 0;
        var cutoff = (_time.GetUtcNow() - minimumAge).UtcDateTime;
        foreach (var file in CacheFiles.TempFiles(DirectoryPath))
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
        if (!file.Exists && !Directory.Exists(path))
        {
            return null;
        }

        var info = new CacheEntryInfo { Key = key, Path = path, SizeBytes = file.Exists ? file.Length : 0, Created = file.LastWriteTimeUtc };
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

        if (!CacheEntryFile.TryDecode<CacheEntryFile.Header>(bytes, key, out var header, out var problem))
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
