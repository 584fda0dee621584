using System.Text.Json;
using LlmTools.Engine.Batches;
using LlmTools.Engine.Models;
using LlmTools.Engine.Tokenization;
using LlmTools.Output;

namespace LlmTools.Session;

/// <summary>
/// Collects the inputs of Send-LlmMessage -AsBatch or Get-LlmEmbedding -AsBatch in input order: each one's cache key
/// (the synchronous path's), whether the cache holds its answer already (then it is not sent), and the JSONL line of
/// each one that is sent. At the end, checks the budgets, submits, and makes the job object.
/// </summary>
internal sealed class BatchSubmitter(BatchService service, BatchKind kind, string model, int? dimensions, bool parsesJson)
{
    /// <summary>Send-LlmMessage's -MergeInput, carried to Receive-LlmBatch.</summary>
    public bool MergeInput { get; init; }

    private readonly List<string?> _keys = [];
    private readonly List<bool> _fromCache = [];
    private readonly List<string?> _cachedAnswers = [];
    private readonly List<string> _texts = [];
    private readonly List<object?> _inputs = [];
    private readonly List<byte[]> _lines = [];
    private readonly List<int> _lineInputs = [];
    private long _promptTokens;
    private int? _completionCap;

    /// <summary>Inputs collected.</summary>
    public int Count => _keys.Count;

    /// <summary>Adds one chat request.</summary>
    public void AddChat(object? input, ChatRequest request)
    {
        // why no service tier: a batch is billed at the batch price whatever the tier; the Batch API takes none per line
        request = request with { Delivery = request.Delivery with { ServiceTier = null } };
        var key = service.ChatKey(request);
        var cached = service.CachedChat(key, request.Model);
        var hit = cached is not null;
        if (!hit)
        {
            _lineInputs.Add(Count);
            _lines.Add(service.ChatLine(Count, request));
            _promptTokens += BatchService.PromptTokens(request);
            _completionCap = request.Sampling.MaxTokens;
        }

        Add(input, key, cached is null ? null : JsonSerializer.Serialize(cached), JsonSerializer.Serialize(request.Messages.Select(m => new { m.Role, m.Content, m.Name })));
    }

    /// <summary>Adds one text to embed.</summary>
    public void AddText(object? input, string text)
    {
        var key = service.EmbeddingKey(model, dimensions, text);
        var cached = service.CachedVector(key, model);
        if (cached is null)
        {
            _lineInputs.Add(Count);
            _lines.Add(service.EmbeddingLine(Count, model, dimensions, text));
            _promptTokens += TokenCounter.ForModel(model).Counter.Estimate(text);
        }

        Add(input, key, cached is null ? null : JsonSerializer.Serialize(cached), text);
    }

    /// <summary>
    /// Checks the budgets with the batch's most possible cost, uploads its files and creates its batches (none when
    /// every answer is cached); the job object. Throws <see cref="Engine.Diagnostics.LlmException"/>.
    /// </summary>
    public async Task<LlmBatchJob> SubmitAsync(BatchLimits limits, CancellationToken cancellationToken)
    {
        IReadOnlyList<BatchPart> parts = [];
        if (_lines.Count > 0)
        {
            await service.CheckBudgetAsync(model, _promptTokens, _lines.Count, kind == BatchKind.Chat ? _completionCap : 0, cancellationToken).ConfigureAwait(false);
            parts = await service.SubmitAsync(kind, _lines, limits, cancellationToken).ConfigureAwait(false);
        }

        return new LlmBatchJob
        {
            Kind = kind.ToString(),
            Provider = service.ProviderName,
            Endpoint = service.EndpointDisplay,
            ApiVersion = service.ApiVersion,
            Model = model,
            Dimensions = dimensions,
            ParsesJson = parsesJson,
            MergeInput = MergeInput,
            UsesCache = service.UsesCache,
            Submitted = DateTime.UtcNow,
            BatchIds = parts.Select(p => p.BatchId).ToArray(),
            BatchStarts = parts.Select((p, i) => i == 0 ? 0 : _lineInputs[p.FirstLine]).ToArray(),
            InputFileIds = parts.Select(p => p.InputFileId).ToArray(),
            Sent = _lines.Count,
            CacheKeys = _keys.ToArray(),
            FromCache = _fromCache.ToArray(),
            CachedAnswers = _cachedAnswers.ToArray(),
            Texts = _texts.ToArray(),
            InputObjects = _inputs.ToArray(),
        };
    }

    private void Add(object? input, string? key, string? cachedAnswer, string text)
    {
        _keys.Add(key);
        _fromCache.Add(cachedAnswer is not null);
        _cachedAnswers.Add(cachedAnswer);
        _texts.Add(text);
        _inputs.Add(input);
    }
}
