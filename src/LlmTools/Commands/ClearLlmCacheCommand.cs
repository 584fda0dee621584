using System.Management.Automation;
using LlmTools.Completion;
using LlmTools.Engine.Caching;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Removes cached answers: by model, kind or age, the entries piped from Get-LlmCache, or all of them.</para>
/// <para type="description">Asks once for the whole removal (-WhatIf and -Confirm show "Remove N cache entries (size)"
/// on the cache folder). Without a filter it refuses, so an accidental call cannot empty the cache: pass -All for that.</para>
/// </summary>
// why ConfirmImpact Medium: -All must be typed out already, and unattended scripts clear by age without a prompt;
// -Confirm asks, -WhatIf shows what would go
[Cmdlet(VerbsCommon.Clear, "LlmCache", DefaultParameterSetName = FilterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Clear-LlmCache.md")]
[OutputType(typeof(LlmCacheClearResult))]
public sealed class ClearLlmCacheCommand : LlmCmdletBase
{
    private const string FilterSet = "Filter";
    private const string AllSet = "All";
    private const string KeySet = "Key";

    // why: a write renames its temp file within milliseconds; one an hour old belongs to a killed process
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    private readonly List<string> _keys = [];
    private FileResponseCache _cache = null!;

    /// <summary>Remove entries of these models (wildcards allowed, case-insensitive).</summary>
    [Parameter(Position = 0, ParameterSetName = FilterSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string[]? Model { get; set; }

    /// <summary>Remove only chat answers or only embeddings.</summary>
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateSet(CacheKinds.Chat, CacheKinds.Embedding, IgnoreCase = true)]
    public string? Kind { get; set; }

    /// <summary>Remove entries stored longer ago than this, for example (New-TimeSpan -Days 30).</summary>
    [Parameter(ParameterSetName = FilterSet)]
    public TimeSpan? OlderThan { get; set; }

    /// <summary>Remove every entry (and temp files left by killed processes).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Remove the entries with these keys; Get-LlmCache output binds here by property name.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = KeySet)]
    [ValidateNotNullOrEmpty]
    public string[] Key { get; set; } = [];

    /// <summary>Write one summary: how many entries and bytes were removed, from which folder.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        if (OlderThan < TimeSpan.Zero)
        {
            ThrowTerminatingError(CacheErrors.NegativeAge(OlderThan.Value));
        }

        _cache = FileResponseCache.For(ResolveOfflineSettings());
        WriteVerbose($"Cache folder: {_cache.DirectoryPath}");
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName != KeySet)
        {
            return;
        }

        foreach (var key in Key)
        {
            var normalized = key.Trim().ToLowerInvariant();
            if (CacheKeys.IsValid(normalized))
            {
                _keys.Add(normalized);
            }
            else
            {
                WriteError(CacheErrors.InvalidKey(key));
            }
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var filter = new CacheEntryFilter(Model, Kind, OlderThan, DateTimeOffset.UtcNow);

        // why ExpectingInput: "Get-LlmCache -Model x | Clear-LlmCache" that lists nothing binds no key, and must
        // remove nothing rather than fail for want of a filter
        var byKey = ParameterSetName == KeySet || (MyInvocation.ExpectingInput && ParameterSetName == FilterSet && filter.IsEmpty);
        List<CacheEntryInfo> entries;
        if (byKey)
        {
            entries = _keys.Distinct(StringComparer.Ordinal).Select(_cache.GetEntry).OfType<CacheEntryInfo>().ToList();
        }
        else if (ParameterSetName == AllSet)
        {
            entries = CacheAccess.List(this, _cache, _ => true);
        }
        else if (filter.IsEmpty)
        {
            ThrowTerminatingError(CacheErrors.FilterRequired(_cache.DirectoryPath));
            return;
        }
        else
        {
            entries = CacheAccess.List(this, _cache, filter.Matches);
        }

        Remove(entries);
    }

    private void Remove(List<CacheEntryInfo> entries)
    {
        var planned = ByteSize.Entries(entries.Count, entries.Sum(e => e.SizeBytes));
        if (entries.Count == 0)
        {
            WriteVerbose($"No cache entries to remove in '{_cache.DirectoryPath}'.");
        }
        else if (!ShouldProcess(_cache.DirectoryPath, "Remove " + planned))
        {
            return;
        }

        var count = 0;
        long bytes = 0;
        foreach (var entry in entries)
        {
            if (CancelToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                if (_cache.Remove(entry))
                {
                    count++;
                    bytes += entry.SizeBytes;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(CacheErrors.RemoveFailed(entry.Path, ex));
            }
        }

        // why on every clear, not only -All: temp files are never entries, so no filter can select them, and an
        // hour-old one belongs to a killed process
        if (entries.Count == 0 || !CancelToken.IsCancellationRequested)
        {
            var swept = _cache.RemoveStaleTempFiles(StaleTempAge);
            if (swept > 0)
            {
                WriteVerbose($"Removed {ByteSize.Format(swept)} of temp files left by killed processes.");
            }
        }

        WriteVerbose($"Removed {ByteSize.Entries(count, bytes)} from '{_cache.DirectoryPath}'.");
        if (PassThru)
        {
            WriteObject(new LlmCacheClearResult { Count = count, Bytes = bytes, CachePath = _cache.DirectoryPath });
        }
    }
}
