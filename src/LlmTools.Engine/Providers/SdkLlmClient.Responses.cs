#pragma warning disable OPENAI001 // why: the SDK marks the whole Responses API "evaluation", yet OpenAI and Azure's v1 serve it
using System.ClientModel;
using System.Runtime.CompilerServices;
using System.Text;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Resilience;
using OpenAI.Responses;

namespace LlmTools.Engine.Providers;

/// <summary>
/// The Responses API wire (POST /responses) of the same client: one attempt each, under the same silence timer and
/// failure classification as Chat Completions, answering the same <see cref="ChatResult"/> and stream updates.
/// </summary>
internal sealed partial class SdkLlmClient
{
    private ResponsesClient? _responses;

    // why built lazily: most sessions never use this wire; a benign race builds two equal clients at worst
    private ResponsesClient Responses => _responses ??= client.GetResponsesClient();

    private Task<Models.ChatResult> CompleteResponseAsync(ChatRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync(request.Model, timeout, cancellationToken, async token =>
        {
            ResponseResult response;
            try
            {
                response = (await Responses.CreateResponseAsync(SdkResponsesMapping.ToOptions(request), token).ConfigureAwait(false)).Value;
            }
            catch (ClientResultException ex) when (NoResponsesRoute(ex))
            {
                throw NoRoute(ex);
            }

            return response.Status == ResponseStatus.Failed
                ? throw Failed(response.Error?.Code.ToString(), response.Error?.Message)
                : SdkResponsesMapping.ToResult(response, request.Model);
        });

    /// <summary>
    /// response.output_text.delta events as text deltas, then one completed update from response.completed (or
    /// response.incomplete, a whole answer cut by its cap). A stream that ends without either is ResponseIncomplete.
    /// </summary>
    private async IAsyncEnumerable<ChatStreamUpdate> StreamResponseAsync(
        ChatRequest request, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var silence = new SilenceTimer(timeout, cancellationToken);
        var errorEvent = StreamErrorCapture.Begin();
        var content = new StringBuilder();
        AsyncStreamingResult<StreamingResponseUpdate> stream;
        try
        {
            var options = SdkResponsesMapping.ToOptions(request);
            options.StreamingEnabled = true; // why: the SDK's streaming call insists on it
            stream = await Responses.CreateResponseStreamingAsync(options, silence.Token).ConfigureAwait(false);
        }
        catch (ClientResultException ex) when (NoResponsesRoute(ex))
        {
            throw failures.Redacted(NoRoute(ex));
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            throw failures.Classify(ex, request.Model, silence);
        }

        ResponseResult? final = null;
        string? failed = null;
        string? failedCode = null;
        await using (((IAsyncDisposable)stream).ConfigureAwait(false))
        {
            // why the cast: the SDK's streaming result implements IAsyncEnumerable explicitly
            var updates = ((IAsyncEnumerable<StreamingResponseUpdate>)stream).GetAsyncEnumerator(silence.Token);
            await using (updates.ConfigureAwait(false))
            {
                while (final is null && failed is null && await NextAsync(updates, request.Model, silence, cancellationToken, content).ConfigureAwait(false))
                {
                    switch (updates.Current)
                    {
                        case StreamingResponseOutputTextDeltaUpdate { Delta: { Length: > 0 } delta }:
                            content.Append(delta);
                            yield return ChatStreamUpdate.Delta(delta);
                            break;
                        case StreamingResponseCompletedUpdate completed:
                            final = completed.Response;
                            break;
                        case StreamingResponseIncompleteUpdate incomplete:
                            final = incomplete.Response;
                            break;
                        case StreamingResponseFailedUpdate failedUpdate:
                            failed = failedUpdate.Response?.Error?.Message ?? "the response failed";
                            failedCode = failedUpdate.Response?.Error?.Code.ToString();
                            break;
                        case StreamingResponseErrorUpdate error:
                            failed = error.Message ?? "an error event";
                            break;
                    }
                }
            }
        }

        if (final is null && content.Length == 0 && failedCode is not null && !IsPassing(failedCode))
        {
            throw failures.Redacted(Failed(failedCode, failed)); // why before the cut-stream error: nothing was shown, and trying again would fail alike
        }

        if (final is null)
        {
            // why: only response.completed says the answer is whole; a cut stream is never an answer, however much it said
            throw StreamIntegrity.Incomplete(failures.Redacted(StreamIntegrity.NoFinishReason(failures.EndpointDisplay, failed ?? errorEvent.Message)), content);
        }

        // why the streamed text when the final event's is empty: some servers send the text only as deltas
        var result = SdkResponsesMapping.ToResult(final, request.Model);
        result = result.Content.Length == 0 ? result with { Content = content.ToString() } : result;
        yield return ChatStreamUpdate.Done(new ChatOutcome(result, Cached: false, TimeSpan.Zero));
    }

    // why these are final: OpenAI's codes of a failed response that name the request's own input (its prompt, its
    // images); a later attempt would fail alike. Any other code (server_error, a compatible server's overloaded) may pass.
    private static bool IsPassing(string? code) =>
        code is not ("invalid_prompt" or "empty_image_file" or "unsupported_image_media_type" or "failed_to_download_image" or "invalid_base64_image")
        && code?.StartsWith("invalid_image", StringComparison.Ordinal) != true
        && code?.StartsWith("image_", StringComparison.Ordinal) != true;

    private LlmException Failed(string? code, string? message)
    {
        var text = $"{failures.EndpointDisplay} could not answer: {ResponseShape.Sentence(message ?? "the response failed")}";
        return IsPassing(code)
            ? new LlmException(LlmErrorId.RequestFailed, text) { IsTransient = true }
            : new LlmException(LlmErrorId.BadRequest, $"{text} ({code}; not retried: the request itself is refused)");
    }

    // why the body looked at: a missing route answers 404 with no error code (OpenAI: "Invalid URL", code null) or a
    // bare page ({"detail":"Not Found"}), while an API that exists answers an unknown model with a code of its own
    // (model_not_found, Azure's DeploymentNotFound) or as an error object (vLLM: {"object":"error", ...})
    private static bool NoResponsesRoute(ClientResultException ex)
    {
        if (ex.Status != 404)
        {
            return false;
        }

        try
        {
            using var body = System.Text.Json.JsonDocument.Parse(ex.GetRawResponse()?.Content?.ToString() ?? "{}");
            var root = body.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return true;
            }

            var apiError = root.TryGetProperty("object", out var kind) && kind.ValueKind == System.Text.Json.JsonValueKind.String && kind.GetString() == "error";
            var coded = root.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == System.Text.Json.JsonValueKind.String && code.GetString() is { Length: > 0 };
            return !apiError && !coded;
        }
        catch (System.Text.Json.JsonException)
        {
            return true; // why: a 404 page that is not an API error is a server without the route
        }
    }

    private LlmException NoRoute(ClientResultException ex) => new(
        LlmErrorId.ModelNotFound,
        $"{failures.EndpointDisplay} has no Responses API (POST {failures.EndpointDisplay.TrimEnd('/')}/responses answered 404). Use -Api ChatCompletions (or API=ChatCompletions in config.ini) for this server.",
        404,
        ex);
}
