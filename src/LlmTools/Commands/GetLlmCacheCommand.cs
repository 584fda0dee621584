using System.Management.Automation;
using LlmTools.Completion;
using LlmTools.Engine.Caching;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Lists the cached answers (chat and embeddings), oldest first, without reading their payloads.</para>
/// <para type="description">The cache folder is CACHE_DIR from config.ini or $env:LLMTOOLS_CACHE_DIR. Unreadable
/// entries are listed with IsCorrupt = True and a warning. Pipe the output to Clear-LlmCache to remove exactly those entries.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "LlmCache", HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Get-LlmCache.md")]
[OutputType(typeof(LlmCacheEntry))]
public sealed class GetLlmCacheCommand : LlmCmdletBase
{
    /// <summary>Only entries of these models (wildcards allowed, case-insensitive).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string[]? Model { get; set; }

    /// <summary>Only chat answers or only embeddings.</summary>
    [Parameter]
    [ValidateSet(CacheKinds.Chat, CacheKinds.Embedding, IgnoreCase = true)]
    public string? Kind { get; set; }

    /// <summary>Only entries stored longer ago than this, for example (New-TimeSpan -Days 30).</summary>
    [Parameter]
    public TimeSpan? OlderThan { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (OlderThan < TimeSpan.Zero)
        {
            ThrowTerminatingError(CacheErrors.NegativeAge(OlderThan.Value));
        }

        var cache = FileResponseCache.For(ResolveOfflineSettings());
        WriteVerbose($"Cache folder: {cache.DirectoryPath}");
        var filter = new CacheEntryFilter(Model, Kind, OlderThan, DateTimeOffset.UtcNow);
        foreach (var entry in CacheAccess.List(this, cache, filter.Matches))
        {
            if (entry.Warning is { } warning)
            {
                WriteWarning(warning);
            }

            WriteObject(LlmCacheEntry.From(entry));
        }
    }
}
