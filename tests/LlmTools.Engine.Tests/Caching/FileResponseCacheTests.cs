using System.Text.Json;
using LlmTools.Engine.Caching;


namespace LlmTools.Engine.Tests.Caching;

public sealed class FileResponseCacheTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempCache _temp = new();
    private readonly ManualTime _time = new(Start);

    private sealed record Answer(string Text, int PromptTokens, float[] Logprobs);

    private static readonly CacheEntryMetadata Chat = new(CacheKinds.Chat, "gpt-4o-mini", "OpenAI", "api.openai.com", "What is the capital of France?");

    private static string Key(string text) => CacheKeys.Compute(new { Kind = "chat", Text = text });

    private FileResponseCache NewCache(TimeSpan? ttl = null) => new(_temp.Directory, ttl, _time);

    [Fact]
    public void An_unknown_key_is_a_miss_and_creates_nothing()
    {
        var result = NewCache().TryRead<Answer>(Key("nothing"));

        Assert.Equal(CacheReadStatus.Miss, result.Status);
        Assert.False(result.IsHit);
        Assert.Null(result.Warning);
        Assert.False(Directory.Exists(_temp.Directory));
    }

    [Fact]
    public async Task A_put_answer_is_found_at_once_and_on_disk_when_WhenWritten_ends()
    {
        var cache = NewCache();
        var key = Key("berlin");
        var answer = new Answer("Berlin.", 3, []);

        cache.Put(key, Chat, answer, LlmTools.Engine.Diagnostics.NullLog.Instance);
        Assert.True(cache.TryGet<Answer>(key, "gpt-4o-mini", LlmTools.Engine.Diagnostics.NullLog.Instance, out var found));
        Assert.Equal("Berlin.", found.Text);
        await cache.WhenWritten();

        var fromDisk = NewCache().TryRead<Answer>(key);
        Assert.True(fromDisk.IsHit);
        Assert.Equal("Berlin.", fromDisk.Value!.Text);
        Assert.Empty(Directory.GetFiles(_temp.Directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Written_answer_reads_back_with_its_metadata_from_a_sharded_file()
    {
        var cache = NewCache();
        var key = Key("paris");
        var answer = new Answer("Paris. Ça va ?", 12, [-0.1f, 1e-7f, 3.4028235E+38f]);

        cache.Write(key, Chat, answer);
        var result = NewCache().TryRead<Answer>(key);

        Assert.True(result.TryGetValue(out var value));
        Assert.Equal(answer.Text, value.Text);
        Assert.Equal(answer.Logprobs, value.Logprobs);
        Assert.Equal(Chat, result.Metadata);
        Assert.Equal(Start, result.Created);
        Assert.Equal(Path.Combine(_temp.Directory, key[..2], key + ".json"), result.Path);
        Assert.True(File.Exists(result.Path));
    }

    [Fact]
    public void Entry_file_holds_exactly_the_documented_fields()
    {
        var cache = NewCache();
        var key = Key("fields");

        cache.Write(key, Chat with { EndpointHost = "https://user:secret@my.example.com:8443/v1?api-key=secret" }, new Answer("x", 1, []));
        using var json = JsonDocument.Parse(File.ReadAllBytes(cache.GetPath(key)));

        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["format", "key", "kind", "model", "provider", "endpointHost", "created", "preview", "payload"], names);
        Assert.Equal(1, json.RootElement.GetProperty("format").GetInt32());
        Assert.Equal("my.example.com:8443", json.RootElement.GetProperty("endpointHost").GetString());
        Assert.Equal(Start, json.RootElement.GetProperty("created").GetDateTimeOffset());
        Assert.DoesNotContain("secret", File.ReadAllText(cache.GetPath(key)));
    }

    [Fact]
    public void Preview_is_one_line_of_at_most_80_characters()
    {
        var cache = NewCache();
        var key = Key("long");

        cache.Write(key, Chat with { Preview = "line one\nline two\t" + new string('x', 200) }, new Answer("x", 1, []));
        var preview = cache.GetEntry(key)!.Preview!;

        Assert.Equal(80, preview.Length);
        Assert.StartsWith("line one line two xxx", preview);
        Assert.EndsWith("…", preview);
    }

    [Fact]
    public void Entries_older_than_the_time_to_live_are_expired_then_a_write_refreshes_them()
    {
        var cache = NewCache(TimeSpan.FromHours(1));
        var key = Key("ttl");
        cache.Write(key, Chat, new Answer("old", 1, []));

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(CacheReadStatus.Hit, cache.TryRead<Answer>(key).Status);

        _time.Advance(TimeSpan.FromMinutes(2));
        var expired = cache.TryRead<Answer>(key);
        Assert.Equal(CacheReadStatus.Expired, expired.Status);
        Assert.False(expired.IsHit);
        Assert.Null(expired.Value);
        Assert.Contains("time-to-live", expired.Reason);

        cache.Write(key, Chat, new Answer("new", 1, []));
        Assert.Equal("new", cache.TryRead<Answer>(key).Value!.Text);
        Assert.Equal(CacheReadStatus.Hit, NewCache().TryRead<Answer>(key).Status);
    }

    public static TheoryData<string, string> BadContents() => new()
    {
        { "empty", string.Empty },
        { "truncated", "{\"format\":1,\"key\":\"KEY\",\"kind\":\"chat\",\"model\":\"m\",\"provider\":\"OpenAI\",\"created\":\"2025-03-01T12:00:00+00:00\",\"payload\":{\"text\":\"Par" },
        { "not json", "\u0080\u0081 pickle protocol 4" },
        { "json null", "null" },
        { "json array", "[1,2,3]" },
        { "future format", "{\"format\":2,\"key\":\"KEY\",\"kind\":\"chat\",\"model\":\"m\",\"provider\":\"OpenAI\",\"created\":\"2025-03-01T12:00:00+00:00\",\"payload\":{\"text\":\"a\"}}" },
        { "other key", "{\"format\":1,\"key\":\"0000\",\"kind\":\"chat\",\"model\":\"m\",\"provider\":\"OpenAI\",\"created\":\"2025-03-01T12:00:00+00:00\",\"payload\":{\"text\":\"a\"}}" },
        { "no payload", "{\"format\":1,\"key\":\"KEY\",\"kind\":\"chat\",\"model\":\"m\",\"provider\":\"OpenAI\",\"created\":\"2025-03-01T12:00:00+00:00\"}" },
        { "payload of another type", "{\"format\":1,\"key\":\"KEY\",\"kind\":\"chat\",\"model\":\"m\",\"provider\":\"OpenAI\",\"created\":\"2025-03-01T12:00:00+00:00\",\"payload\":{\"text\":[1]}}" },
        { "bad date", "{\"format\":1,\"key\":\"KEY\",\"kind\":\"chat\",\"model\":\"m\",\"provider\":\"OpenAI\",\"created\":\"yesterday\",\"payload\":{\"text\":\"a\"}}" },
    };

    [Theory]
    [MemberData(nameof(BadContents))]
    public void A_bad_file_is_corrupt_with_a_reason_and_the_next_write_replaces_it(string label, string content)
    {
        var cache = NewCache();
        var key = Key(label);
        Directory.CreateDirectory(Path.GetDirectoryName(cache.GetPath(key))!);
        File.WriteAllText(cache.GetPath(key), content.Replace("KEY", key, StringComparison.Ordinal));

        var result = cache.TryRead<Answer>(key);
        var listed = Assert.Single(cache.Enumerate());

        Assert.Equal(CacheReadStatus.Corrupt, result.Status);
        Assert.False(string.IsNullOrEmpty(result.Reason));
        Assert.Contains(cache.GetPath(key), result.Warning);
        Assert.Null(result.Value);
        if (label != "no payload" && label != "payload of another type")
        {
            Assert.True(listed.IsCorrupt); // the listing reads only the header
        }

        cache.Write(key, Chat, new Answer("fixed", 1, []));
        Assert.Equal("fixed", cache.TryRead<Answer>(key).Value!.Text);
        Assert.False(Assert.Single(cache.Enumerate()).IsCorrupt);
    }

    [Fact]
    public void A_key_that_is_not_64_lowercase_hex_is_refused_so_no_path_can_escape_the_folder()
    {
        var cache = NewCache();

        Assert.Throws<ArgumentException>(() => cache.TryRead<Answer>("../../etc/passwd"));
        Assert.Throws<ArgumentException>(() => cache.Write(Key("x").ToUpperInvariant(), Chat, new Answer("x", 1, [])));
        Assert.Throws<ArgumentException>(() => cache.GetPath(string.Empty));
    }

    [Fact]
    public void Files_and_folders_are_owner_only_on_Unix()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // ACLs of the user profile already keep others out
        }

        var cache = NewCache();
        var key = Key("private");
        cache.Write(key, Chat, new Answer("x", 1, []));

        const UnixFileMode rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(rw, File.GetUnixFileMode(cache.GetPath(key)));
        Assert.Equal(rw | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(cache.GetPath(key))!));
        Assert.Equal(rw | UnixFileMode.UserExecute, File.GetUnixFileMode(cache.DirectoryPath));
    }

    [Fact]
    public void A_failed_write_throws_and_leaves_no_temp_file()
    {
        var cache = NewCache();
        var key = Key("blocked");
        var path = cache.GetPath(key);
        Directory.CreateDirectory(_temp.Directory);
        File.WriteAllText(Path.GetDirectoryName(path)!, "a file where the shard folder should be"); // (a folder at the entry path is replaced: CacheTrustTests)

        var error = Record.Exception(() => cache.Write(key, Chat, new Answer("x", 1, [])));

        Assert.True(error is IOException or UnauthorizedAccessException, error?.ToString());
        Assert.Empty(Directory.GetFiles(_temp.Directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Listing_shows_metadata_skips_temp_and_foreign_files_and_remove_deletes_by_key()
    {
        var cache = NewCache();
        cache.Write(Key("a"), Chat, new Answer("a", 1, []));
        _time.Advance(TimeSpan.FromDays(1));
        cache.Write(Key("b"), new CacheEntryMetadata(CacheKinds.Embedding, "text-embedding-3-small", "Azure", "res.openai.azure.com", "hello"), new[] { 0.5f, -0.25f });
        var shard = Path.GetDirectoryName(cache.GetPath(Key("a")))!;
        File.WriteAllText(Path.Combine(shard, Key("a") + ".0123.tmp"), "{\"partial");
        File.WriteAllText(Path.Combine(_temp.Directory, "notes.json"), "{}");
        File.WriteAllText(Path.Combine(shard, "readme.json"), "{}");

        var entries = cache.Enumerate().OrderBy(e => e.Created).ToList();

        Assert.Equal([Key("a"), Key("b")], entries.Select(e => e.Key));
        Assert.Equal(Start, entries[0].Created);
        Assert.Equal(("embedding", "text-embedding-3-small", "Azure", "hello"), (entries[1].Kind, entries[1].Model, entries[1].Provider, entries[1].Preview));
        Assert.All(entries, e => Assert.Equal(new FileInfo(e.Path).Length, e.SizeBytes));
        Assert.Equal(entries[1], cache.GetEntry(Key("b")));

        Assert.True(cache.Remove(entries[0]));
        Assert.False(cache.Remove(entries[0]));
        Assert.Equal(CacheReadStatus.Miss, cache.TryRead<Answer>(Key("a")).Status);
        Assert.Single(cache.Enumerate());
        Assert.Null(cache.GetEntry(Key("a")));
    }

    [Fact]
    public void Stale_temp_files_of_dead_writers_are_swept_fresh_ones_are_not()
    {
        var cache = NewCache();
        cache.Write(Key("a"), Chat, new Answer("a", 1, []));
        var shard = Path.GetDirectoryName(cache.GetPath(Key("a")))!;
        var stale = Path.Combine(shard, Key("a") + ".dead.tmp");
        var fresh = Path.Combine(shard, Key("a") + ".live.tmp");
        File.WriteAllText(stale, "12345");
        File.WriteAllText(fresh, "1");
        File.SetLastWriteTimeUtc(stale, Start.UtcDateTime.AddHours(-2));
        File.SetLastWriteTimeUtc(fresh, Start.UtcDateTime);

        var freed = cache.RemoveStaleTempFiles(TimeSpan.FromHours(1));

        Assert.Equal(5, freed);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(cache.GetPath(Key("a"))));
    }

    [Fact]
    public void Listing_a_cache_that_does_not_exist_yet_is_empty()
    {
        var cache = NewCache();

        Assert.Empty(cache.Enumerate());
    }

    public void Dispose() => _temp.Dispose();
}
