using System.Diagnostics;
using System.Runtime.CompilerServices;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Resilience;
using Polly;
using Polly.Timeout;

namespace LlmTools.Engine.Chat;

/// <summary>
/// One chat call done properly: the cache first (when given), then retries with backoff around a single SDK
/// attempt, timeouts, errors turned into <see cref="LlmException"/>s without secrets; only complete answers are
/// cached. Thread-safe; one per cmdlet invocation.
/// </summary>
/// <param name="client">The provider; null in replay mode, where nothing may touch the network.</param>
/// <param name="settings">Resolved settings (retries, timeout, endpoint for messages and cache keys).</param>
/// <param name="log">Retry and cache lines.</param>
/// <param name="cache">Null when this call does not use the cache.</param>
public sealed class ChatService(ILlmClient? client, LlmSettings settings, ILlmLog log, CacheGate? cache = null)
{
    private readonly RetryOptions _retry = RetryOptions.From(settings);
    private readonly string _endpointHost = LlmClientFactory.EndpointHost(settings);

    /// <summary>OpenAI or Azure.</summary>
    public string ProviderName => LlmClientFactory.ProviderName(settings);

    public async Task<ChatOutcome> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var key = CacheKey(request);
        if (key is not null && cache!.TryGet<ChatResult>(key, request.Model, out var hit))
        {
            return new ChatOutcome(hit, Cached: true, Stopwatch.GetElapsedTime(started));
        }

        var pipeline = RetryPipelineFactory.Create(_retry, log, ex => Describe(ex, request));
        try
        {
            var result = await pipeline.ExecuteAsync(
                async token => await Client.CompleteAsync(request, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            Store(key, request, result);
            return new ChatOutcome(result, Cached: false, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Describe(ex, request);
        }
    }

    /// <summary>
    /// Streams a completion. Retries cover the attempt up to the first piece of text (nothing was shown yet);
    /// after that a failure ends the stream with an error. The timeout applies to each wait for a chunk.
    /// </summary>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = CacheKey(request);
        if (key is not null && cache!.TryGet<ChatResult>(key, request.Model, out var hit))
        {
            yield return ChatStreamUpdate.Delta(hit.Content);
            yield return ChatStreamUpdate.Done(hit, cached: true);
            yield break;
        }

        var pipeline = RetryPipelineFactory.Create(_retry, log, ex => Describe(ex, request), withTimeout: false);
        var stream = await OpenStreamAsync(pipeline, request, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (stream.Current is { } update)
            {
                if (update.Completed is { } result)
                {
                    Store(key, request, result); // why: only once complete; a cut stream writes nothing
                }

                yield return update;
                if (update.Completed is not null || !await NextAsync(stream, request, cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }
            }
        }
    }

    private async Task<TimedStream> OpenStreamAsync(ResiliencePipeline pipeline, ChatRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    var stream = new TimedStream(Client.StreamAsync, request, _retry.Timeout, token);
                    try
                    {
                        await stream.MoveNextAsync().ConfigureAwait(false);
                        return stream;
                    }
                    catch
                    {
                        await stream.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Describe(ex, request);
        }
    }

    private async Task<bool> NextAsync(TimedStream stream, ChatRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Describe(ex, request);
        }
    }

    private ILlmClient Client => client ?? throw new InvalidOperationException("No client: replay mode answers from the cache only.");

    private string? CacheKey(ChatRequest request) => cache is null
        ? null
        : FileResponseCache.ComputeKey(new ChatCacheKey(ProviderName, _endpointHost, request));

    private void Store(string? key, ChatRequest request, ChatResult result)
    {
        if (key is not null)
        {
            var preview = request.Messages.LastOrDefault(m => m.Role == "user")?.Content ?? request.Messages[^1].Content;
            cache!.Put(key, new CacheEntryMetadata(CacheKinds.Chat, request.Model, ProviderName, _endpointHost, preview), result);
        }
    }

    private LlmException Describe(Exception exception, ChatRequest request) => FaultClassifier.Describe(exception, settings, request.Model);

    /// <summary>A provider stream whose every wait for the next chunk has its own timeout.</summary>
    private sealed class TimedStream : IAsyncDisposable
    {
        private readonly CancellationTokenSource _timer;
        private readonly IAsyncEnumerator<ChatStreamUpdate> _updates;
        private readonly TimeSpan _timeout;
        private readonly CancellationToken _caller;

        public TimedStream(Func<ChatRequest, CancellationToken, IAsyncEnumerable<ChatStreamUpdate>> open, ChatRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _timeout = timeout;
            _caller = cancellationToken;
            _timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _updates = open(request, _timer.Token).GetAsyncEnumerator(_timer.Token);
        }

        public ChatStreamUpdate? Current { get; private set; }

        public async Task<bool> MoveNextAsync()
        {
            _timer.CancelAfter(_timeout);
            try
            {
                var moved = await _updates.MoveNextAsync().ConfigureAwait(false);
                Current = moved ? _updates.Current : null;
                return moved;
            }
            catch (OperationCanceledException ex) when (_timer.IsCancellationRequested && !_caller.IsCancellationRequested)
            {
                // why: our timer, not the caller, cancelled; the retry layer treats this like any timeout
                throw new TimeoutRejectedException("The stream sent nothing within the timeout.", _timeout, ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _updates.DisposeAsync().ConfigureAwait(false);
            _timer.Dispose();
        }
    }
}
