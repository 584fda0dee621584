using System.Diagnostics;
using LlmTools.Engine.Caching;

namespace LlmTools.Engine.Tests.Caching;

/// <summary>Issue 16, items 2, 3 and 10: a neighbour's files, links, FIFOs, folders and oversized or future-dated entries.</summary>
public sealed class CacheTrustTests : IDisposable
{
    private static readonly CacheEntryMetadata Chat = new(CacheKinds.Chat, "gpt-4o-mini", "OpenAI", "api.openai.com", "q");

    private readonly TempCache _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_entry_that_is_a_link_is_never_followed()
    {
        var cache = new FileResponseCache(_temp.Directory);
        var (planted, key) = (Key("planted"), Key("asked"));
        cache.Write(planted, Chat, "a neighbour's answer");
        var path = cache.GetPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, cache.GetPath(planted));

        var result = cache.TryRead<string>(key);

        Assert.Equal(CacheReadStatus.Corrupt, result.Status);
        Assert.Contains("symbolic link", result.Warning);
    }

    [Fact]
    public void A_fifo_at_an_entry_path_is_never_opened_and_can_be_removed()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file types and modes
        }

        var cache = new FileResponseCache(_temp.Directory);
        var key = Key("fifo");
        cache.Write(Key("other"), Chat, "x");
        var path = cache.GetPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Process.Start("mkfifo", path).WaitForExit();

        var read = cache.TryRead<string>(key);
        var listed = cache.Enumerate().Single(e => e.Key == key);
        var removed = cache.Remove(listed);

        Assert.Equal(CacheReadStatus.Corrupt, read.Status);
        Assert.Contains("not a regular file", read.Warning);
        Assert.True(listed.IsCorrupt);
        Assert.True(removed);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_directory_at_an_entry_path_is_listed_removed_and_replaced_by_the_next_write()
    {
        var cache = new FileResponseCache(_temp.Directory);
        var key = Key("dir");
        var path = cache.GetPath(key);
        Directory.CreateDirectory(Path.Combine(path, "inside"));

        var read = cache.TryRead<string>(key);
        var listed = Assert.Single(cache.Enumerate());
        cache.Write(key, Chat, "fresh");

        Assert.Equal(CacheReadStatus.Corrupt, read.Status);
        Assert.Contains("directory", read.Warning);
        Assert.True(listed.IsCorrupt);
        Assert.True(cache.TryRead<string>(key).TryGetValue(out var value));
        Assert.Equal("fresh", value);

        File.Delete(path);
        Directory.CreateDirectory(path);
        Assert.True(cache.Remove(Assert.Single(cache.Enumerate())));
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void A_cache_folder_others_can_write_is_not_used()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file types and modes
        }

        var key = Key("q");
        new FileResponseCache(_temp.Directory).Write(key, Chat, "answer");
        File.SetUnixFileMode(_temp.Directory, File.GetUnixFileMode(_temp.Directory) | UnixFileMode.OtherWrite);
        var cache = new FileResponseCache(_temp.Directory);

        var read = cache.TryRead<string>(key);

        Assert.Equal(CacheReadStatus.Corrupt, read.Status);
        Assert.Contains("writable by other users", read.Warning);
        Assert.Throws<IOException>(() => cache.Write(key, Chat, "other"));
    }

    [Fact]
    public async Task A_cache_folder_others_can_write_is_one_warning_per_command_not_one_per_entry()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file types and modes
        }

        new FileResponseCache(_temp.Directory).Write(Key("seed"), Chat, "answer");
        File.SetUnixFileMode(_temp.Directory, File.GetUnixFileMode(_temp.Directory) | UnixFileMode.OtherWrite);
        var cache = new FileResponseCache(_temp.Directory);
        var log = new ListLog();

        foreach (var text in new[] { "seed", "a", "b" })
        {
            Assert.False(cache.TryGet<string>(Key(text), "gpt-4o-mini", log, out _));
            cache.Put(Key(text), Chat, "fresh " + text, log);
        }

        await cache.WhenWritten();

        var warning = Assert.Single(log.Warnings);
        Assert.StartsWith("The cache folder", warning);
        Assert.Contains("writable by other users", warning);
        Assert.EndsWith(".", warning);
    }

    [Fact]
    public void An_entry_others_can_write_is_not_trusted()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file types and modes
        }

        var cache = new FileResponseCache(_temp.Directory);
        var key = Key("q");
        cache.Write(key, Chat, "answer");
        File.SetUnixFileMode(cache.GetPath(key), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);

        var read = cache.TryRead<string>(key);

        Assert.Equal(CacheReadStatus.Corrupt, read.Status);
        Assert.Contains("writable by other users", read.Warning);
    }

    [Fact]
    public void An_entry_dated_in_the_future_expires()
    {
        var clock = new ManualTime(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var key = Key("future");
        new FileResponseCache(_temp.Directory, time: clock).Write(key, Chat, "from the future");
        clock.Advance(TimeSpan.FromDays(-400));

        var read = new FileResponseCache(_temp.Directory, TimeSpan.FromDays(1), clock).TryRead<string>(key);

        Assert.Equal(CacheReadStatus.Expired, read.Status);
    }

    [Fact]
    public void An_answer_larger_than_an_entry_can_be_read_is_not_written()
    {
        var cache = new FileResponseCache(_temp.Directory);
        var key = Key("huge");

        var ex = Assert.Throws<IOException>(() => cache.Write(key, Chat, new string('x', (int)CacheFiles.MaxEntryBytes + 1)));

        Assert.Contains("more than an entry can hold", ex.Message);
        Assert.False(File.Exists(cache.GetPath(key)));
    }

    private sealed class ListLog : Diagnostics.ILlmLog
    {
        public List<string> Warnings { get; } = [];

        public void Verbose(string message)
        {
        }

        public void Warning(string message)
        {
            lock (Warnings)
            {
                Warnings.Add(message);
            }
        }
    }

    private static string Key(string text) => CacheKeys.Compute(new { Kind = "trust", Text = text });
}
