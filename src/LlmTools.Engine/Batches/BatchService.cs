using System.ClientModel.Primitives;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Resilience;
using LlmTools.Engine.Sessions;
using LlmTools.Engine.Spending;
using LlmTools.Engine.Tokenization;
using OpenAI.Chat;

namespace LlmTools.Engine.Batches;

/// <summary>
/// Batch jobs for one cmdlet call: the synchronous path's requests written as JSONL lines (same bodies, same cache keys),
/// uploaded and started on the provider's batch fleet; later their status, and their results read back through the same
/// mapping into the cache and the usage ledger at the batch price. Every call goes through the session's retry pipeline.
/// </summary>
public sealed class BatchService
{
    private readonly EngineSession _session;
    private readonly LlmSettings _settings;
    private readonly ILlmLog _log;
    private readonly RetryOptions _retry;
    private readonly FileResponseCache? _cache;
    private readonly CommandSpending _spending;
    private readonly ChatBodyCapture _capture = new();
    private readonly bool _azure;
    private BatchHttp? _http;

    internal BatchService(EngineSession session, LlmSettings settings, ILlmLog log, CommandSpending spending)
    {
        _session = session;
        _settings = settings;
        _log = log;
        _spending = spending;
        _retry = RetryOptions.From(settings);
        _cache = session.CacheFor(settings);
        _azure = settings.Provider == ProviderKind.Azure;
    }

    /// <summary>OpenAI or Azure.</summary>
    public string ProviderName => _session.Endpoint.ProviderName;

    /// <summary>The endpoint as messages show it (never with credentials or a query).</summary>
    public string EndpointDisplay => _session.Endpoint.Display;

    /// <summary>The Azure api-version the routes use (classic Azure routes only), else null.</summary>
    public string? ApiVersion => _azure && _settings.Endpoint is { } e && !LlmClientFactory.IsAzureV1(e) ? _settings.AzureApiVersion : null;

    /// <summary>True when results go into (and hits come from) the cache.</summary>
    public bool UsesCache => _cache is not null;

    /// <summary>The command's budgets and the session's ledger.</summary>
    public CommandSpending Spending => _spending;

    /// <summary>The url of a line and the endpoint of its batch: /v1/chat/completions on OpenAI, /chat/completions on Azure.</summary>
    public string Route(BatchKind kind) => (_azure ? "/" : "/v1/") + (kind == BatchKind.Chat ? "chat/completions" : "embeddings");

    /// <summary>The cache key the synchronous path uses for <paramref name="request"/>; null without a cache.</summary>
    public string? ChatKey(ChatRequest request) => _cache is null ? null : CacheKeys.ForChat(ProviderName, _session.Endpoint.Host, request);

    /// <summary>The cache key the synchronous path uses for one text's vector; null without a cache.</summary>
    public string? EmbeddingKey(string model, int? dimensions, string text) =>
        _cache is null ? null : CacheKeys.ForEmbedding(ProviderName, _session.Endpoint.Host, model, dimensions, text);

    /// <summary>The cached answer of <paramref name="key"/>, when there is one.</summary>
    public ChatResult? CachedChat(string? key, string model) =>
        key is not null && _cache!.TryGet<ChatResult>(key, model, _log, out var hit) ? hit : null;

    /// <summary>The cached vector of <paramref name="key"/>, when there is one.</summary>
    public float[]? CachedVector(string? key, string model) =>
        key is not null && _cache!.TryGet<float[]>(key, model, _log, out var hit) ? hit : null;

    /// <summary>The JSONL line of a chat request: its body exactly as the synchronous path sends it.</summary>
    public byte[] ChatLine(int index, ChatRequest request) => BatchJsonl.Line(index, Route(BatchKind.Chat), _capture.Body(request));

    /// <summary>The JSONL line of one text's embedding.</summary>
    public byte[] EmbeddingLine(int index, string model, int? dimensions, string text) =>
        BatchJsonl.Line(index, Route(BatchKind.Embedding), BatchJsonl.EmbeddingBody(model, text, dimensions));

    /// <summary>A chat request's prompt tokens, counted offline.</summary>
    public static int PromptTokens(ChatRequest request) => TokenCounter.ForModel(request.Model).Counter.EstimateChat(request.Messages);

    /// <summary>
    /// Checks, before anything is uploaded, that the batch's most possible cost (its prompts counted offline plus each
    /// request's completion cap, at the batch price) fits the session's and the command's budgets; BudgetExceeded or
    /// BudgetUnenforceable when not. Nothing stays held: the real usage is counted when the results are received.
    /// </summary>
    public async Task CheckBudgetAsync(string model, long promptTokens, int requests, int? completionCapEach, CancellationToken cancellationToken)
    {
        var cap = completionCapEach ?? _spending.Guard.Catalog.Find(model)?.MaxOutputTokens;
        int? total = cap is { } each ? (int)Math.Min(int.MaxValue, (long)each * requests) : null;
        var charge = await _spending.Guard.HoldAsync(model, promptTokens, total, cancellationToken, $"This batch of {requests} requests", BatchTier).ConfigureAwait(false);
        charge?.Release();
    }

    /// <summary>
    /// Splits the lines into files within <paramref name="limits"/>, uploads each (purpose batch) and creates its batch.
    /// When a later file fails, the error names the batches already created, so they can be stopped or received.
    /// </summary>
    public async Task<IReadOnlyList<BatchPart>> SubmitAsync(BatchKind kind, IReadOnlyList<byte[]> lines, BatchLimits limits, CancellationToken cancellationToken)
    {
        var files = BatchJsonl.Split(lines, limits);
        var parts = new List<BatchPart>();
        foreach (var (start, count, bytes) in files)
        {
            var content = new byte[bytes];
            var offset = 0;
            for (var i = start; i < start + count; i++)
            {
                lines[i].CopyTo(content, offset);
                offset += lines[i].Length;
            }

            try
            {
                var fileId = await RetriedAsync(t => Http.UploadAsync(content, $"llmtools-batch-{parts.Count + 1}.jsonl", t), cancellationToken).ConfigureAwait(false);
                var batch = await RetriedAsync(t => Http.CreateAsync(fileId, Route(kind), t), cancellationToken).ConfigureAwait(false);
                _log.Verbose($"Created batch {batch.Id} of {count} requests ({bytes:N0} bytes, file {fileId}) at {EndpointDisplay}.");
                parts.Add(new BatchPart(batch.Id, fileId, count, bytes, start));
            }
            catch (LlmException failure) when (parts.Count > 0)
            {
                throw new LlmException(
                    failure.ErrorId,
                    $"{failure.Message} Batches already created and running: {string.Join(", ", parts.Select(p => p.BatchId))} (Stop-LlmBatch -Id cancels them).",
                    failure.Status,
                    failure);
            }
        }

        return parts;
    }

    /// <summary>A batch's status and counts.</summary>
    public Task<BatchState> GetAsync(string batchId, CancellationToken cancellationToken) => RetriedAsync(t => Http.GetAsync(batchId, t), cancellationToken);

    /// <summary>The account's newest batches.</summary>
    public Task<IReadOnlyList<BatchState>> ListAsync(int limit, CancellationToken cancellationToken) => RetriedAsync(t => Http.ListAsync(limit, t), cancellationToken);

    /// <summary>Cancels a batch; its state after the request.</summary>
    public Task<BatchState> CancelAsync(string batchId, CancellationToken cancellationToken) => RetriedAsync(t => Http.CancelAsync(batchId, t), cancellationToken);

    /// <summary>The lines of a finished batch's output and error files.</summary>
    public async Task<IReadOnlyList<BatchLineResult>> ResultsAsync(BatchState batch, CancellationToken cancellationToken)
    {
        var results = new List<BatchLineResult>();
        foreach (var fileId in new[] { batch.OutputFileId, batch.ErrorFileId }.OfType<string>().Where(id => id.Length > 0))
        {
            var file = await RetriedAsync(t => Http.DownloadAsync(fileId, t), cancellationToken).ConfigureAwait(false);
            await using (file.ConfigureAwait(false))
            {
                results.AddRange(BatchJsonl.ReadResults(file));
            }
        }

        return results;
    }

    /// <summary>A chat line's answer, read by the SDK's own model and mapped as the synchronous path maps it.</summary>
    public static ChatResult ChatResultOf(string body, string model) =>
        SdkChatMapping.ToResult(ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromString(body))!, model);

    /// <summary>An embeddings line's vector and billed tokens.</summary>
    public static (float[] Vector, int? Tokens) VectorOf(string body) => BatchVectors.Read(body);

    /// <summary>Counts a received chat answer in the ledger and the session budget at the batch price; its cost (null: price unknown).</summary>
    public decimal? CountChat(string model, ChatResult result)
    {
        var catalog = _spending.Guard.Catalog;
        var price = (catalog.Find(model) ?? catalog.Find(result.Model))?.PriceFor(BatchTier);
        var cost = result.Usage is { } usage ? price?.CostOf(usage) : null;
        Count(model, result.Usage, cost);
        return cost;
    }

    /// <summary>Counts a received vector's tokens like <see cref="CountChat"/>; its cost.</summary>
    public decimal? CountEmbedding(string model, int tokens)
    {
        var cost = _spending.Guard.Catalog.Find(model)?.PriceFor(BatchTier)?.CostOf(tokens, 0);
        Count(model, new TokenUsage(tokens, 0, tokens), cost);
        return cost;
    }

    /// <summary>Counts an answer that was in the cache at submit (free).</summary>
    public void CountHit(string model) => _spending.Ledger.CacheHit(model);

    /// <summary>Stores a received answer under the synchronous path's key, so that path finds it.</summary>
    public void StoreChat(string? key, string model, string preview, ChatResult result)
    {
        if (key is not null && _cache is not null)
        {
            _cache.Put(key, new CacheEntryMetadata(CacheKinds.Chat, model, ProviderName, _session.Endpoint.Host, preview), result, _log);
        }
    }

    /// <summary>Stores a received vector under the synchronous path's key.</summary>
    public void StoreVector(string? key, string model, string text, float[] vector)
    {
        if (key is not null && _cache is not null)
        {
            _cache.Put(key, new CacheEntryMetadata(CacheKinds.Embedding, model, ProviderName, _session.Endpoint.Host, text), vector, _log);
        }
    }

    /// <summary>Ends when the received answers are on disk.</summary>
    public Task WhenCacheWritten() => _cache?.WhenWritten() ?? Task.CompletedTask;

    /// <summary>The service tier whose price a batch is billed at.</summary>
    // why flex: OpenAI bills flex processing at the Batch API's price (half the standard one), and ModelFacts.PriceFor
    // already knows it; one rule for both keeps them equal
    public const string BatchTier = "flex";

    private void Count(string model, TokenUsage? usage, decimal? cost)
    {
        _spending.Ledger.Answered(model, usage, cost);
        _spending.Session.Settle(0, 0, usage?.TotalTokens ?? 0, cost ?? 0); // why: the session budget sees batch spend like any other
    }

    private BatchHttp Http => _http ??= Open();

    private BatchHttp Open()
    {
        if (_settings.IsReplay)
        {
            throw new LlmException(LlmErrorId.InvalidInput, "-CacheMode Replay answers from the cache only; a batch job needs the provider. Use ReadWrite or ReadOnly.");
        }

        var client = _session.Client as SdkLlmClient ?? throw new LlmException(LlmErrorId.BatchUnsupported, "This client has no Batch API.");
        var classic = _azure && !LlmClientFactory.IsAzureV1(_session.Endpoint.Uri);
        return new BatchHttp(client.Sdk.Pipeline, client.Failures, BatchHttp.RootOf(_session.Endpoint, classic), _retry.Timeout);
    }

    private Task<T> RetriedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        _session.Retry.ExecuteAsync(_retry, _log, call, cancellationToken);
}
