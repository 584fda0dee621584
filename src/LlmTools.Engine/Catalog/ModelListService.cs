using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Resilience;
using LlmTools.Engine.Sessions;
using LlmTools.Engine.Spending;

namespace LlmTools.Engine.Catalog;

/// <summary>
/// Get-LlmModel's one request: the provider's model list through the session's client and retry pipeline, with the
/// shipped shutdown dates filled in where the provider gave none, remembered in the cache folder for tab completion
/// and shutdown warnings.
/// </summary>
public sealed class ModelListService
{
    private readonly EngineSession _session;
    private readonly LlmSettings _settings;
    private readonly ILlmLog _log;

    internal ModelListService(EngineSession session, LlmSettings settings, ILlmLog log)
    {
        _session = session;
        _settings = settings;
        _log = log;
    }

    /// <summary>OpenAI or Azure, for output objects.</summary>
    public string ProviderName => _session.Endpoint.ProviderName;

    /// <summary>The endpoint host the list belongs to.</summary>
    public string Host => _session.Endpoint.Host;

    /// <summary>The models the endpoint lists, by id; fails only with <see cref="LlmException"/> or, when cancelled, <see cref="OperationCanceledException"/>.</summary>
    public async Task<IReadOnlyList<ListedModel>> ListAsync(CancellationToken cancellationToken)
    {
        var lister = _session.Client as IModelLister
            ?? throw new LlmException(LlmErrorId.RequestFailed, $"The client for {_session.Endpoint.Display} cannot list models.");
        var retry = RetryOptions.From(_settings);
        var listed = await _session.Retry.ExecuteAsync(retry, _log, token => lister.ListModelsAsync(retry.Timeout, token), cancellationToken).ConfigureAwait(false);
        var catalog = ModelCatalog.For(_settings.Prices);
        var models = listed
            .Select(m => m.Shutdown is null && Retirement.ShippedShutdown(m.Id, catalog, _settings) is { } day ? m with { Shutdown = day } : m)
            .DistinctBy(m => m.Id, StringComparer.Ordinal)
            .OrderBy(m => m.Id, StringComparer.OrdinalIgnoreCase)
            .ToList();
        try
        {
            ModelListFiles.Remember(_settings.CacheDirectory, Host, models, DateTimeOffset.UtcNow);
            _log.Verbose($"Remembered {models.Count} model name(s) of {Host} in {ModelListFiles.PathOf(_settings.CacheDirectory, Host)} for tab completion.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Warning($"The model list of {Host} was not remembered for tab completion: {ex.Message}.");
        }

        return models;
    }
}
