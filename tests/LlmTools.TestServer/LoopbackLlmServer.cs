using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmTools.TestServer;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (ephemeral port) speaking the OpenAI and Azure OpenAI
/// chat-completions and embeddings wire formats, with a request log and scripted faults.
/// </summary>
public sealed class LoopbackLlmServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<Fault> _faults = [];
    private WebApplication? _app;
    private int _disposed;

    private LoopbackLlmServer()
    {
        ShutdownToken = _shutdown.Token;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>BaseUri + "v1/": the endpoint for the OpenAI client.</summary>
    public Uri OpenAIEndpoint => new(BaseUri, "v1/");

    /// <summary>BaseUri itself: the Azure client appends /openai/... on its own.</summary>
    public Uri AzureEndpoint => BaseUri;

    /// <summary>When set, requests must present this key (Bearer, or api-key on Azure routes); null accepts anything.</summary>
    public string? RequiredKey { get; set; }

    /// <summary>Replaces the default chat reply ("Echo: " + last user message, or JSON for response_format).</summary>
    public Func<RecordedRequest, string>? ChatReply { get; set; }

    /// <summary>When set, scripts each chat answer (tool calls or text); null falls back to <see cref="ChatReply"/>.</summary>
    public Func<RecordedRequest, ChatTurn?>? ChatScript { get; set; }

    /// <summary>
    /// When set, chat usage reports these prompt-cache and reasoning tokens (prompt_tokens_details.cached_tokens,
    /// completion_tokens_details.reasoning_tokens), as OpenAI does for a cached prefix and a reasoning model.
    /// </summary>
    public (int CachedTokens, int ReasoningTokens)? UsageDetails { get; set; }

    /// <summary>When true, a chat request with max_tokens (or max_completion_tokens) reports that many completion tokens: the model used its whole cap.</summary>
    public bool CompletionFillsCap { get; set; }

    /// <summary>Rate limits the server enforces (OpenAI style, with x-ratelimit headers); null: none.</summary>
    public ServerRateLimits? RateLimits { get; set; }

    /// <summary>How long each admitted chat or embeddings request takes before its answer starts.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Pause before each streamed content chunk.</summary>
    public TimeSpan StreamChunkDelay { get; set; }

    /// <summary>
    /// Replaces the "data" of GET models answers (OpenAI shape: id, object, created, owned_by; Azure's /openai/models
    /// adds capabilities and deprecation); null answers <see cref="ModelList.Default"/>.
    /// </summary>
    public System.Text.Json.Nodes.JsonArray? ModelsData { get; set; }

    /// <summary>When true, a streamed Responses answer stops after its text deltas, without response.completed (a cut stream).</summary>
    public bool ResponsesStreamStopsEarly { get; set; }

    /// <summary>When set, embeddings answers hold at most this many vectors, as a broken compatible server might.</summary>
    public int? EmbeddingAnswerLimit { get; set; }

    /// <summary>When set, an embeddings request holding this text fails whole with 500, as llama.cpp does for one over-long input.</summary>
    public string? EmbeddingPoisonText { get; set; }

    /// <summary>When set, vectors have this length whatever "dimensions" asked, as a server that ignores it does.</summary>
    public int? EmbeddingAnsweredDimensions { get; set; }

    /// <summary>The Files and Batch API's state (uploaded files, batches whose status advances per GET).</summary>
    public BatchStore Batches { get; } = new();

    /// <summary>A snapshot of every request received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>How many faults are still queued.</summary>
    public int PendingFaults
    {
        get
        {
            lock (_gate)
            {
                return _faults.Count;
            }
        }
    }

    internal CancellationToken ShutdownToken { get; }

    public static Task<LoopbackLlmServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(mapMoreEndpoints: null, cancellationToken);

    /// <summary>
    /// Starts a server that also serves the endpoints <paramref name="mapMoreEndpoints"/> maps (a process host adds
    /// its control routes this way); literal routes win over the server's catch-all.
    /// </summary>
    public static async Task<LoopbackLlmServer> StartAsync(
        Action<IEndpointRouteBuilder, LoopbackLlmServer>? mapMoreEndpoints, CancellationToken cancellationToken = default)
    {
        var server = new LoopbackLlmServer();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // No appsettings.json file watcher per server instance.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = typeof(LoopbackLlmServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        // Keep the host away from Ctrl+C / SIGTERM: tests own the process's signals.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        LlmEndpoints.Map(app, new LlmRequestHandler(server));
        mapMoreEndpoints?.Invoke(app, server);
        await app.StartAsync(cancellationToken);

        // Kestrel reports the port it actually bound.
        var port = new Uri(app.Urls.First()).Port;
        server._app = app;
        server.BaseUri = new Uri($"http://127.0.0.1:{port}/");
        return server;
    }

    /// <summary>The vector the server returns for <paramref name="text"/> (unit length, deterministic).</summary>
    public static float[] EmbeddingFor(string text, int dimensions = Embeddings.DefaultDimensions) =>
        Embeddings.Vector(text, dimensions);

    /// <summary>How many recorded requests went to <paramref name="route"/>.</summary>
    public int CountOf(LlmRoute route)
    {
        lock (_gate)
        {
            return _requests.Count(r => r.Route == route);
        }
    }

    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    /// <summary>Queue a fault; faults are taken in order by the requests they match.</summary>
    public void EnqueueFault(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Release hanging / delayed / streaming requests first so the stop is quick.
        await _shutdown.CancelAsync();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }

        _shutdown.Dispose();
    }

    internal void Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    internal Fault? TakeFault(LlmRoute route)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => f.Route is null || f.Route == route);
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            _faults.RemoveAt(index);
            return fault;
        }
    }
}
