using System.Management.Automation;
using LlmTools.Engine.Catalog;
using LlmTools.Engine.Diagnostics;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Lists the provider's models, with their shutdown dates, and remembers them for tab completion.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "LlmModel", HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Get-LlmModel.md")]
[OutputType(typeof(LlmModel))]
public sealed class GetLlmModelCommand : LlmConnectionCmdletBase
{
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(20);

    private readonly PipelineLog _log = new();

    /// <summary>Only models whose id matches (wildcards allowed, case-insensitive).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only Chat, Embedding or Other models.</summary>
    [Parameter]
    [ValidateSet("Chat", "Embedding", "Other", IgnoreCase = true)]
    public string? Kind { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        // why no cache and ReadWrite: the list is always asked of the server, even where CACHE_MODE is replay
        var settings = ResolveSettings(ConnectionOverrides() with { UseCache = false, CacheMode = Engine.Caching.CacheMode.ReadWrite });
        ModelListService service;
        IReadOnlyList<Engine.Models.ListedModel> models;
        try
        {
            service = Sessions.Models(VaultKey.Apply(settings, InvokeCommand), _log);
            models = Wait(service.ListAsync(CancelToken));
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (LlmException ex)
        {
            _log.Flush(this);
            ThrowTerminatingError(LlmErrors.From(ex, null));
            return; // unreachable: ThrowTerminatingError always throws
        }

        var patterns = (Name ?? ["*"]).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        var shown = models.Where(m => patterns.Any(p => p.IsMatch(m.Id)) && (Kind is null || m.Kind.ToString().Equals(Kind, StringComparison.OrdinalIgnoreCase))).ToList();
        foreach (var model in shown)
        {
            WriteObject(LlmModel.From(model, service.ProviderName, service.Host));
        }

        // why an error for a plain name only: as Get-Process and Get-Service do, a name without wildcards names one model
        foreach (var missing in (Name ?? []).Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && !shown.Any(m => string.Equals(m.Id, n, StringComparison.OrdinalIgnoreCase))))
        {
            WriteError(LlmErrors.From(new LlmException(LlmErrorId.ModelNotFound, $"{service.Host} lists no model '{missing}'{(Kind is null ? string.Empty : $" of kind {Kind}")}. Get-LlmModel without -Name lists them all."), missing));
        }

        // why only the configured models: a list's every old model warned of would bury the one the scripts use
        WarnIfRetiring(settings.Model, settings);
        WarnIfRetiring(settings.EmbeddingModel, settings);
    }

    /// <summary>
    /// Waits for the one request on the pipeline thread, writing the engine's log lines (retries, verbose) meanwhile.
    /// Why not the request cmdlets' WaitPumping: theirs also runs the work their requests post (tool calls).
    /// </summary>
    private T Wait<T>(Task<T> task)
    {
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(PumpInterval))
        {
            _log.Flush(this);
        }

        _log.Flush(this);
        return task.GetAwaiter().GetResult();
    }
}
