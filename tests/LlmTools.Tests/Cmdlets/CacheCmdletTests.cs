using LlmTools.Tests.Hosting;

namespace LlmTools.Tests.Cmdlets;

public sealed class CacheCmdletTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly ModuleRunspace _ps = new();
    private readonly CacheSeeder _seed;
    private readonly string _old4o;
    private readonly string _new4oMini;
    private readonly string _embedding;

    public CacheCmdletTests()
    {
        _seed = new CacheSeeder(_ps.CacheDirectory);
        _old4o = _seed.Add("gpt-4o", Now.AddDays(-10), preview: "old question");
        _new4oMini = _seed.Add("gpt-4o-mini", Now.AddHours(-1), preview: "new question");
        _embedding = _seed.Add("text-embedding-3-small", Now.AddDays(-3), kind: "embedding", preview: "some text");
    }

    private List<string> Keys(ScriptResult result) => result.Output.Select(o => (string)o.Properties["Key"].Value).ToList();

    [Fact]
    public void Get_lists_every_entry_oldest_first_with_its_metadata()
    {
        var result = _ps.Invoke("Get-LlmCache");

        Assert.Empty(result.Errors);
        Assert.Equal([_old4o, _embedding, _new4oMini], Keys(result));
        var first = result.Output[0];
        Assert.Equal("LlmTools.Output.LlmCacheEntry", first.BaseObject.GetType().FullName);
        Assert.Equal("chat", first.Properties["Kind"].Value);
        Assert.Equal("gpt-4o", first.Properties["Model"].Value);
        Assert.Equal("OpenAI", first.Properties["Provider"].Value);
        Assert.Equal("old question", first.Properties["Preview"].Value);
        Assert.Equal(_seed.PathOf(_old4o), first.Properties["Path"].Value);
        Assert.Equal(_seed.SizeOf(_old4o), first.Properties["Size"].Value);
        Assert.Equal(Now.AddDays(-10).LocalDateTime, (DateTime)first.Properties["Created"].Value, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("Get-LlmCache -Model 'GPT-4O*'", "old,new")]
    [InlineData("Get-LlmCache gpt-4o", "old")]
    [InlineData("Get-LlmCache -Kind embedding", "embedding")]
    [InlineData("Get-LlmCache -OlderThan ([timespan]::FromDays(2))", "old,embedding")]
    [InlineData("Get-LlmCache -Model gpt-4o* -OlderThan ([timespan]::FromDays(2))", "old")]
    [InlineData("Get-LlmCache -Model claude*", "")]
    public void Get_filters_by_model_wildcard_kind_and_age(string script, string expected)
    {
        var result = _ps.Invoke(script);

        Assert.Empty(result.Errors);
        Assert.Equal(Expected(expected), Keys(result));
    }

    [Fact]
    public void Get_on_a_cache_that_does_not_exist_yet_lists_nothing()
    {
        Directory.Delete(_ps.CacheDirectory, recursive: true);

        var result = _ps.Invoke("Get-LlmCache");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void An_unreadable_entry_is_listed_with_a_warning_and_All_removes_it()
    {
        var corrupt = _seed.AddCorrupt();

        var listed = _ps.Invoke("Get-LlmCache | Where-Object IsCorrupt");
        var cleared = _ps.Invoke("Clear-LlmCache -All -PassThru");

        Assert.Empty(listed.Errors);
        Assert.Equal([corrupt], Keys(listed));
        Assert.Contains(_seed.PathOf(corrupt), Assert.Single(listed.Warnings).Message);
        Assert.Equal(4, cleared.Output.Single().Properties["Count"].Value);
        Assert.False(_seed.Exists(corrupt));
    }

    [Fact]
    public void Clear_by_model_removes_only_those_and_PassThru_tells_count_bytes_and_folder()
    {
        var bytes = _seed.SizeOf(_old4o) + _seed.SizeOf(_new4oMini);

        var result = _ps.Invoke("Clear-LlmCache -Model gpt-4o* -PassThru");

        Assert.Empty(result.Errors);
        var summary = Assert.Single(result.Output);
        Assert.Equal(2, summary.Properties["Count"].Value);
        Assert.Equal(bytes, summary.Properties["Bytes"].Value);
        Assert.Equal(_ps.CacheDirectory, summary.Properties["CachePath"].Value);
        Assert.False(_seed.Exists(_old4o));
        Assert.False(_seed.Exists(_new4oMini));
        Assert.True(_seed.Exists(_embedding));
    }

    [Fact]
    public void Clear_older_than_keeps_recent_entries_and_is_silent_without_PassThru()
    {
        var result = _ps.Invoke("Clear-LlmCache -OlderThan ([timespan]::FromDays(5))");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.False(_seed.Exists(_old4o));
        Assert.True(_seed.Exists(_embedding));
        Assert.True(_seed.Exists(_new4oMini));
    }

    [Fact]
    public void Clear_by_kind_removes_only_that_kind()
    {
        _ps.Invoke("Clear-LlmCache -Kind embedding");

        Assert.False(_seed.Exists(_embedding));
        Assert.True(_seed.Exists(_old4o));
    }

    [Fact]
    public void WhatIf_removes_nothing_and_writes_nothing()
    {
        var result = _ps.Invoke("Clear-LlmCache -All -WhatIf -PassThru");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.True(_seed.Exists(_old4o) && _seed.Exists(_new4oMini) && _seed.Exists(_embedding));
    }

    [Fact]
    public void ShouldProcess_is_asked_once_for_the_whole_removal_with_the_cache_folder_as_target()
    {
        // what -WhatIf prints and -Confirm asks is the same text that -Verbose shows once ShouldProcess agrees
        var result = _ps.Invoke("Clear-LlmCache -Model gpt-4o* -Confirm:$false -Verbose");

        var asked = Assert.Single(result.Verbose, v => v.Message.StartsWith("Performing the operation", StringComparison.Ordinal));
        Assert.StartsWith("Performing the operation \"Remove 2 cache entries (", asked.Message);
        Assert.EndsWith($" B)\" on target \"{_ps.CacheDirectory}\".", asked.Message);
    }

    [Fact]
    public void Without_a_filter_or_All_it_refuses_and_removes_nothing()
    {
        var result = _ps.Invoke("Clear-LlmCache");

        var error = Assert.Single(result.Errors);
        Assert.Equal("CacheFilterRequired,LlmTools.Commands.ClearLlmCacheCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-All", error.Exception.Message);
        Assert.True(_seed.Exists(_old4o) && _seed.Exists(_new4oMini) && _seed.Exists(_embedding));
    }

    [Fact]
    public void Entries_piped_from_Get_LlmCache_are_removed_and_an_empty_pipe_removes_nothing()
    {
        var piped = _ps.Invoke("Get-LlmCache -Kind embedding | Clear-LlmCache -PassThru");
        var empty = _ps.Invoke("Get-LlmCache -Model nothing* | Clear-LlmCache -PassThru");

        Assert.Empty(piped.Errors);
        Assert.Equal(1, piped.Output.Single().Properties["Count"].Value);
        Assert.False(_seed.Exists(_embedding));
        Assert.Empty(empty.Errors);
        Assert.Equal(0, empty.Output.Single().Properties["Count"].Value);
        Assert.True(_seed.Exists(_old4o) && _seed.Exists(_new4oMini));
    }

    [Fact]
    public void A_key_that_is_not_a_cache_key_is_an_error_for_that_item_only()
    {
        var result = _ps.Invoke("Clear-LlmCache -Key '../../etc/passwd', $args[0] -PassThru", _old4o.ToUpperInvariant());

        Assert.Equal("InvalidCacheKey,LlmTools.Commands.ClearLlmCacheCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(1, result.Output.Single().Properties["Count"].Value);
        Assert.False(_seed.Exists(_old4o));
    }

    [Fact]
    public void A_relative_cache_dir_means_the_PowerShell_location_and_TinyTroupe_cache_keys_break_nothing()
    {
        File.WriteAllText(_ps.ConfigPath, "[OpenAI]\nCACHE_API_CALLS=True\nCACHE_FILE_NAME=openai_api_cache.pickle\n[LlmTools]\nCACHE_DIR=relative-cache\n");
        var seed = new CacheSeeder(Path.Combine(_ps.WorkingDirectory, "relative-cache"));
        var key = seed.Add("gpt-4o", Now);

        var result = _ps.Invoke("Get-LlmCache; Clear-LlmCache -All -PassThru");

        Assert.Empty(result.Errors);
        Assert.Equal(key, result.Output[0].Properties["Key"].Value);
        Assert.Equal(seed.CacheDirectory, result.Output[1].Properties["CachePath"].Value);
        Assert.False(seed.Exists(key));
        Assert.False(File.Exists(Path.Combine(_ps.WorkingDirectory, "openai_api_cache.pickle")));
    }

    [Fact]
    public void Clear_supports_WhatIf_and_Confirm_and_the_format_file_has_a_cache_table()
    {
        var parameters = _ps.Invoke("(Get-Command Clear-LlmCache).Parameters.Keys").Output.Select(o => o.ToString()).ToList();
        var formats = new System.Management.Automation.Runspaces.FormatTable([Path.Combine(RepoPaths.ModuleDirectory, "LlmTools.Format.ps1xml")]);

        Assert.Contains("WhatIf", parameters);
        Assert.Contains("Confirm", parameters);
        Assert.NotNull(formats); // loading validates every view
        Assert.Contains("<TypeName>LlmTools.Output.LlmCacheEntry</TypeName>", File.ReadAllText(Path.Combine(RepoPaths.ModuleDirectory, "LlmTools.Format.ps1xml")));
    }

    private List<string> Expected(string names) => names.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(name => name switch { "old" => _old4o, "new" => _new4oMini, _ => _embedding }).ToList();

    public void Dispose() => _ps.Dispose();
}
