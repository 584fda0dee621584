namespace LlmTools.Engine.Caching;

/// <summary>
/// Where files live: <c>&lt;root&gt;/&lt;first 2 hex of key&gt;/&lt;key&gt;.json</c>. Why sharded: 256 folders keep each folder
/// small when the cache holds hundreds of thousands of entries. Only listings scan; lookups go straight to a path.
/// </summary>
internal static class CacheLayout
{
    public static bool IsValidKey(string? key) => key is { Length: 64 } && IsLowerHex(key);

    public static string EntryPath(string root, string key) => Path.Combine(root, key[..2], key + ".json");

    /// <summary>Entry files: named by a key, in the shard of that key. Temp files and anything foreign are left out.</summary>
    public static IEnumerable<string> EntryFiles(string root) =>
        Shards(root).SelectMany(shard => SafeFiles(shard, "*.json").Where(file =>
        {
            var key = Path.GetFileNameWithoutExtension(file);
            return IsValidKey(key) && key.StartsWith(Path.GetFileName(shard), StringComparison.Ordinal);
        }));

    public static IEnumerable<string> TempFiles(string root) =>
        Shards(root).SelectMany(shard => SafeFiles(shard, "*" + CacheFiles.TempExtension));

    private static IEnumerable<string> Shards(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Where(dir => Path.GetFileName(dir) is { Length: 2 } name && IsLowerHex(name))
            : [];

    // why: another process may remove a shard while we list; that is not an error for a listing
    private static string[] SafeFiles(string directory, string pattern)
    {
        try
        {
            return Directory.GetFiles(directory, pattern);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static bool IsLowerHex(string text) => text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
