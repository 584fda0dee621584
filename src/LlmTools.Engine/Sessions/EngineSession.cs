using System.Collections.Concurrent;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Chat;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Embeddings;
using LlmTools.Engine.Pacing;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Resilience;
using LlmTools.Engine.Spending;
using Polly;

namespace LlmTools.Engine.Sessions;

/// <summary>
/// The engine sessions of one runspace (the module keeps one registry per runspace), one session per (provider,
/// endpoint, credential, api-version). A cmdlet gets a ready chat or embedding service from resolved settings in one call.
/// </summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, bool> _noticed = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="notice"/> is given in this session (a settings notice is shown once).</summary>
    public bool FirstNotice(string notice) => _noticed.TryAdd(notice, true);

    /// <summary>What this PowerShell session's requests cost, per model (Get-LlmUsage).</summary>
    public UsageLedger Usage { get; } = new();

    /// <summary>The session's budget (TOKEN_BUDGET, COST_BUDGET); its limits come from each command's settings.</summary>
    public SpendBudget SessionBudget { get; } = new($"the session budget ({ConfigKeys.TokenBudget}, {ConfigKeys.CostBudget})");

    /// <summary>
    /// A chat service for one cmdlet call; a missing key or endpoint throws <see cref="LlmException"/> here, before any
    /// item. <paramref name="estimateOnly"/> (-WhatIf): no client, no key needed; the service only counts and prices.
    /// </summary>
    public ChatService Chat(LlmSettings settings, ILlmLog log, bool estimateOnly = false) =>
        new(Session(settings, log, estimateOnly), settings, log, Spending(settings));

    /// <summary>An embedding service for one cmdlet call; fails like <see cref="Chat"/>.</summary>
    public EmbeddingService Embeddings(LlmSettings settings, ILlmLog log, int? dimensions, bool estimateOnly = false) =>
        new(Session(settings, log, estimateOnly), settings, log, dimensions, Spending(settings));

    /// <summary>A batch-job service for one cmdlet call (submit, status, results); fails like <see cref="Chat"/>.</summary>
    public Batches.BatchService Batches(LlmSettings settings, ILlmLog log) =>
        new(Session(settings, log, estimateOnly: false), settings, log, Spending(settings));
    /// <summary>The model list of the endpoint <paramref name="settings"/> name (Get-LlmModel); fails like <see cref="Chat"/>.</summary>
    public Catalog.ModelListService Models(LlmSettings settings, ILlmLog log) => new(Session(settings, log, estimateOnly: false), settings, log);

    /// <summary>Forgets the session's totals and what its budget has spent (Clear-LlmUsage).</summary>
    public void ClearUsage()
    {
        Usage.Clear();
        SessionBudget.Clear();
    }

    /// <summary>The ledger, and the budgets one command's requests go through: the session's and the command's own.</summary>
    private CommandSpending Spending(LlmSettings settings)
    {
        SessionBudget.Limits = settings.SessionBudget;
        var command = new SpendBudget("this command's budget (-TokenBudget, -CostBudget)") { Limits = settings.CommandBudget };
        return new CommandSpending(Usage, new SpendGuard([SessionBudget, command], ModelCatalog.For(settings.Prices)), SessionBudget, command);
    }

    private EngineSession Session(LlmSettings settings, ILlmLog log, bool estimateOnly)
    {
        var session = _sessions.GetOrAdd(LlmClientFactory.ClientKey(settings), key => new EngineSession(settings, key));
        if (!settings.IsReplay && !estimateOnly) // why: replay and -WhatIf never touch the network, so they need no client and no key
        {
            var created = session.EnsureClient(settings);
            var credential = settings.ApiKey?.Source ?? (settings.Provider == ProviderKind.Azure ? "Microsoft Entra ID" : "nowhere (none needed)");
            log.Verbose($"{(created ? "Created" : "Reusing")} {session.Endpoint.ProviderName} client for {session.Endpoint.Display}; key from {credential}.");
            KeyPolicy.Report(settings, log);
        }

        return session;
    }
}

/// <summary>
/// What one (provider, endpoint, credential) keeps for the life of a runspace: the SDK client, the retry pipeline
/// (built once), the response caches its calls use, and its way to the process-wide rate limiters (one per model,
/// shared with every runspace that uses the same endpoint and key). Thread-safe: concurrent requests share it.
/// </summary>
public sealed class EngineSession
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<(string Directory, TimeSpan? Ttl, CacheMode Mode), FileResponseCache> _caches = new();
    private ILlmClient? _client;

    private readonly string _clientKey;

    internal EngineSession(LlmSettings settings, string clientKey)
    {
        Endpoint = ProviderEndpoint.From(settings);
        _clientKey = clientKey;
    }

    /// <summary>Provider name, endpoint host and display, named once for every call of the session.</summary>
    public ProviderEndpoint Endpoint { get; }

    /// <summary>The engine's only retry layer; per-call options travel with each call.</summary>
    internal ResiliencePipeline Retry { get; } = RetryPipeline.Build();

    /// <summary>The SDK client; only replay sessions have none, and replay never asks.</summary>
    internal ILlmClient Client => _client ?? throw new InvalidOperationException("No client: replay answers from the cache only.");

    /// <summary>Creates the client on first use; true when it did. A missing key throws and leaves nothing behind, so setting one later works.</summary>
    internal bool EnsureClient(LlmSettings settings)
    {
        lock (_gate)
        {
            if (_client is not null)
            {
                return false;
            }

            _client = LlmClientFactory.Create(settings, Endpoint);
            return true;
        }
    }

    /// <summary>
    /// The process-wide rate limiter of <paramref name="model"/> at this endpoint and key, with the limits this call's
    /// settings configure (REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE; none: learned from the server).
    /// </summary>
    internal RateLimiter Limiter(string model, LlmSettings settings)
    {
        var limiter = RateLimiter.For(_clientKey, model, Endpoint.Display);
        limiter.Configure(settings.RequestsPerMinute, settings.TokensPerMinute);
        return limiter;
    }

    /// <summary>The cache this call uses (folder, time-to-live and mode from its settings), or null when it uses none.</summary>
    internal FileResponseCache? CacheFor(LlmSettings settings) => settings.Cache is { } mode
        ? _caches.GetOrAdd((settings.CacheDirectory, settings.CacheTtl, mode), _ => FileResponseCache.For(settings, mode))
        : null;
}

/// <summary>What one command's requests report to and go through: the session's ledger, the budgets, and the command's own budget.</summary>
/// <param name="Ledger">The session's totals.</param>
/// <param name="Guard">Holds each request's cost in the budgets before it is sent.</param>
/// <param name="Session">The session's budget (TOKEN_BUDGET, COST_BUDGET).</param>
/// <param name="Command">The command's own budget, for its closing message.</param>
public sealed record CommandSpending(UsageLedger Ledger, SpendGuard Guard, SpendBudget Session, SpendBudget Command);
