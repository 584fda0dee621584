using System.Diagnostics;
using System.Runtime.CompilerServices;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Resilience;
using Polly;
using Polly.Timeout;

namespace LlmTools.Engine.Chat;

/// <summary>
/// One chat call done properly: retries with backoff around a single SDK attempt, timeouts, errors turned
/// into <see cref="LlmException"/>s without secrets. Thread-safe; one per cmdlet invocation.
/// </summary>
public sealed class ChatService(ILlmClient client, LlmSettings settings, ILlmLog log)
{
    private readonly RetryOptions _retry = RetryOptions.From(settings);

    /// <summary>OpenAI or Azure.</summary>
    public string ProviderName => client.ProviderName;

    public async Task<ChatOutcome> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var pipeline = RetryPipelineFactory.Create(_retry, log, ex => Describe(ex, request));
        try
        {
            var result = await pipeline.ExecuteAsync(
                async token => await client.CompleteAsync(request, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
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
        var pipeline = RetryPipelineFactory.Create(_retry, log, ex => Describe(ex, request), withTimeout: false);
        var stream = await OpenStreamAsync(pipeline, request, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (stream.Current is { } update)
            {
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
                    var stream = new TimedStream(client.StreamAsync, request, _retry.Timeout, token);
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

    private LlmException Describe(Exception exception, ChatRequest request) => SecretRedactor.Redact(
        FaultClassifier.ToLlmException(exception, settings.EndpointDisplay, request.Model, _retry.Timeout), settings.ApiKey);

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
