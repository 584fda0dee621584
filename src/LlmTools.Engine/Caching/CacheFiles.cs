namespace LlmTools.Engine.Caching;

/// <summary>
/// Where entries live and the file-system moves the cache depends on: private folders, shared reads, atomic
/// replacement. Layout: <c>&lt;root&gt;/&lt;first 2 hex of key&gt;/&lt;key&gt;.json</c>. Why sharded: 256 folders keep each
/// folder small when the cache holds hundreds of thousands of entries. Only listings scan; lookups go straight to a path.
/// </summary>
internal static class CacheFiles
{
    public const string TempExtension = ".tmp";

    /// <summary>Entries are small; anything larger is not one of ours, and reading it whole would be wasteful.</summary>
    public const long MaxEntryBytes = 64L * 1024 * 1024;

    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> owner-only (0700) on Unix; missing parents get the default mode, as ~/.cache would.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectory);
        }
    }

    /// <summary>The whole file, or null when it does not exist.</summary>
    /// <exception cref="IOException">It exists but cannot be read, or is larger than <see cref="MaxEntryBytes"/>.</exception>
    public static byte[]? ReadAll(string path)
    {
        // why before opening: opening a FIFO blocks, and a link may point out of the cache
        if (FileTrust.EntryProblem(path, out var exists) is { } problem)
        {
            throw new IOException(problem);
        }

        if (!exists)
        {
            return null;
        }

        try
        {
            // why: FileShare.Delete lets a writer rename a new entry over this one while we read (Windows)
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            var length = stream.Length;
            if (length > MaxEntryBytes)
            {
                throw new IOException($"the file has {length} bytes, more than an entry can have");
            }

            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (EndOfStreamException)
        {
            throw new IOException("the file shrank while it was read");
        }
    }

    /// <summary>
    /// Replaces <paramref name="finalPath"/> with <paramref name="content"/> all at once: the bytes go to a uniquely
    /// named temp file in the same folder (same volume, so the rename is atomic), then it is renamed over the old file.
    /// Readers see the old file or the new one, never a part; of two writers the last rename wins and both files were
    /// complete. On failure the temp file is removed and the error rethrown.
    /// </summary>
    /// <remarks>
    /// Why no fsync: a cache needs none to stay correct. After a power cut an entry may come back empty or short, and
    /// such an entry already reads as a miss (and is replaced); the fsync cost a disk round trip per answer. Why the
    /// folder only on a miss: it exists for all but the first entry of a shard, and a create per write costs a syscall.
    /// </remarks>
    public static void WriteAtomic(string finalPath, ReadOnlySpan<byte> content)
    {
        var folder = Path.GetDirectoryName(finalPath)!;
        var temp = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(finalPath)}.{Guid.NewGuid():N}{TempExtension}");
        try
        {
            using (var stream = CreateTemp(temp, folder))
            {
                stream.Write(content);
            }

            Replace(temp, finalPath);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static FileStream CreateTemp(string temp, string folder)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile; // why: set at creation, so the file is never readable by others
        }

        try
        {
            return new FileStream(temp, options);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            // why FileNotFound too: .NET names a missing folder by looking again after the failed open; when another
            // writer created the folder in between, the same ENOENT comes out as FileNotFoundException
            CreatePrivateDirectory(folder);
            return new FileStream(temp, options);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // why: best effort; a leftover temp file is skipped by listings and swept by Clear-LlmCache
        }
    }

    private static void Replace(string temp, string finalPath)
    {
        // why: on Windows a rename over a file that another process is renaming or has open without
        // FILE_SHARE_DELETE fails for a moment; Unix rename(2) never does, so there is nothing to retry there
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                File.Move(temp, finalPath, overwrite: true);
                return;
            }
            catch (Exception ex) when (OperatingSystem.IsWindows() && attempt < 20 && ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(attempt * 5);
            }
        }
    }

    public static string EntryPath(string root, string key) => Path.Combine(root, key[..2], key + ".json");

    /// <summary>Entry files: named by a key, in the shard of that key. Temp files and anything foreign are left out.</summary>
    /// <remarks>A folder or FIFO named like an entry is listed too, so Get-LlmCache shows it and Clear-LlmCache removes it.</remarks>
    public static IEnumerable<string> EntryFiles(string root) =>
        Shards(root).SelectMany(shard => SafeFiles(shard, "*.json").Where(file =>
        {
            var key = Path.GetFileNameWithoutExtension(file);
            return CacheKeys.IsValid(key) && key.StartsWith(Path.GetFileName(shard), StringComparison.Ordinal);
        }));

    public static IEnumerable<string> TempFiles(string root) =>
        Shards(root).SelectMany(shard => SafeFiles(shard, "*" + TempExtension));

    private static IEnumerable<string> Shards(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Where(dir => Path.GetFileName(dir) is { Length: 2 } name && CacheKeys.IsLowerHex(name))
            : [];

    // why: another process may remove a shard while we list; that is not an error for a listing
    private static string[] SafeFiles(string directory, string pattern)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory, pattern);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }
}
