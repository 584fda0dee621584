using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Resilience;

namespace LlmTools.Engine.Batches;

/// <summary>
/// The Files and Batch API routes, one attempt each, over the session client's own HTTP pipeline (its credentials,
/// api-version, proxy, size cap and rate-limit headers). Why raw requests and not OpenAIFileClient / BatchClient: the
/// SDK's BatchClient has protocol methods only (and no cancel outside an operation object), and one code path for
/// OpenAI, Azure's classic routes and Azure's v1 routes is simpler to check against the spec than three SDK clients.
/// Wire formats (openai/openai-openapi): POST /files multipart (purpose=batch, file), GET /files/{id}/content,
/// POST /batches {input_file_id, endpoint, completion_window:"24h"}, GET /batches/{id}, GET /batches?limit=,
/// POST /batches/{id}/cancel. Azure: {endpoint}/openai/files and /openai/batches with api-version; v1: OpenAI's.
/// </summary>
internal sealed class BatchHttp(ClientPipeline pipeline, ProviderFailures failures, Uri root, TimeSpan timeout)
{
    /// <summary>The routes of <paramref name="endpoint"/>: its base plus files/ and batches/ (Azure classic: openai/files, openai/batches).</summary>
    public static Uri RootOf(ProviderEndpoint endpoint, bool azureClassic)
    {
        var text = endpoint.Uri.GetLeftPart(UriPartial.Path);
        var root = new Uri(text.EndsWith('/') ? text : text + "/");
        return azureClassic ? new Uri(root, "openai/") : root;
    }

    /// <summary>Uploads a JSONL file with purpose batch; its file id.</summary>
    public async Task<string> UploadAsync(byte[] jsonl, string fileName, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("batch"), "purpose");
        var file = new ByteArrayContent(jsonl);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(file, "file", fileName);
        var body = await form.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var answer = await SendAsync("POST", "files", body, form.Headers.ContentType!.ToString(), unsupportedOn404: true, cancellationToken).ConfigureAwait(false);
        return Str(answer.RootElement, "id") ?? throw Unreadable("files", "no file id");
    }

    /// <summary>
    /// The content of a file (an output or error file), copied to a private temporary file as it arrives (deleted when
    /// the stream is closed). Why not in memory: a 50,000-answer output file can pass any sensible in-memory cap; the
    /// silence timer restarts with every piece, so a long download of a live server is not a timeout.
    /// </summary>
    public Task<Stream> DownloadAsync(string fileId, CancellationToken cancellationToken)
    {
        var path = $"files/{Uri.EscapeDataString(fileId)}/content";
        return CallAsync(path, cancellationToken, async (token, silence) =>
        {
            var message = pipeline.CreateMessage();
            message.Apply(new RequestOptions { CancellationToken = token });
            message.BufferResponse = false;
            message.Request.Method = "GET";
            message.Request.Uri = new Uri(root, path);
            await pipeline.SendAsync(message).ConfigureAwait(false);
            var response = message.Response!;
            if (response.IsError)
            {
                await response.BufferContentAsync(token).ConfigureAwait(false);
                throw new ClientResultException(response);
            }

            var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                using (response)
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await response.ContentStream!.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                    {
                        silence.Restart();
                        await file.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                    }
                }

                file.Position = 0;
                return (Stream)file;
            }
            catch
            {
                await file.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }, unsupportedOn404: false);
    }

    /// <summary>Creates a batch that runs the lines of <paramref name="inputFileId"/> against <paramref name="route"/>.</summary>
    public async Task<BatchState> CreateAsync(string inputFileId, string route, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["input_file_id"] = inputFileId,
            ["endpoint"] = route,
            ["completion_window"] = "24h",
        });
        using var answer = await SendAsync("POST", "batches", body, "application/json", unsupportedOn404: true, cancellationToken).ConfigureAwait(false);
        return ToState(answer.RootElement);
    }

    /// <summary>The batch's status and counts.</summary>
    public async Task<BatchState> GetAsync(string batchId, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync("GET", $"batches/{Uri.EscapeDataString(batchId)}", null, null, unsupportedOn404: false, cancellationToken).ConfigureAwait(false);
        return ToState(answer.RootElement);
    }

    /// <summary>The newest batches of the account, newest first.</summary>
    public async Task<IReadOnlyList<BatchState>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync("GET", $"batches?limit={limit}", null, null, unsupportedOn404: true, cancellationToken).ConfigureAwait(false);
        return answer.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Select(ToState).ToList()
            : [];
    }

    /// <summary>Asks the provider to cancel the batch (it goes to cancelling, then cancelled; finished lines are kept).</summary>
    public async Task<BatchState> CancelAsync(string batchId, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync("POST", $"batches/{Uri.EscapeDataString(batchId)}/cancel", [], "application/json", unsupportedOn404: false, cancellationToken).ConfigureAwait(false);
        return ToState(answer.RootElement);
    }

    private Task<JsonDocument> SendAsync(string method, string path, byte[]? body, string? contentType, bool unsupportedOn404, CancellationToken cancellationToken) =>
        CallAsync(path, cancellationToken, async token =>
        {
            var response = await RawAsync(method, path, body, contentType, token).ConfigureAwait(false);
            try
            {
                return JsonDocument.Parse(response.Content);
            }
            catch (JsonException)
            {
                throw Unreadable(path, "not JSON");
            }
        }, unsupportedOn404);

    private async Task<PipelineResponse> RawAsync(string method, string path, byte[]? body, string? contentType, CancellationToken cancellationToken)
    {
        var message = pipeline.CreateMessage();
        message.Apply(new RequestOptions { CancellationToken = cancellationToken });
        message.Request.Method = method;
        message.Request.Uri = new Uri(root, path);
        if (body is not null)
        {
            message.Request.Headers.Set("Content-Type", contentType ?? "application/json");
            message.Request.Content = BinaryContent.Create(BinaryData.FromBytes(body));
        }

        await pipeline.SendAsync(message).ConfigureAwait(false);
        var response = message.Response!;
        return response.IsError ? throw new ClientResultException(response) : response;
    }

    /// <summary>One call under the silence timer; a failure leaves classified, a 404 on a route the server lacks says so.</summary>
    private Task<T> CallAsync<T>(string path, CancellationToken cancellationToken, Func<CancellationToken, Task<T>> call, bool unsupportedOn404) =>
        CallAsync(path, cancellationToken, (token, _) => call(token), unsupportedOn404);

    private async Task<T> CallAsync<T>(string path, CancellationToken cancellationToken, Func<CancellationToken, SilenceTimer, Task<T>> call, bool unsupportedOn404)
    {
        using var silence = new SilenceTimer(timeout, cancellationToken);
        try
        {
            return await call(silence.Token, silence).ConfigureAwait(false);
        }
        catch (ClientResultException ex) when (ex.Status == 404 && !cancellationToken.IsCancellationRequested)
        {
            var route = new Uri(root, path.Split('?')[0]).AbsolutePath;
            throw failures.Redacted(unsupportedOn404
                ? new LlmException(LlmErrorId.BatchUnsupported, $"{failures.EndpointDisplay} has no Batch API: {route} answered 404. Batch jobs need the provider's files and batches routes (OpenAI, or an Azure OpenAI resource with a global-batch deployment); send without -AsBatch.", 404, ex)
                : new LlmException(LlmErrorId.RequestFailed, $"{failures.EndpointDisplay} knows no {route} (404): the batch or file is gone, or belongs to another endpoint or key.", 404, ex));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw failures.Classify(ex, "the Batch API", silence);
        }
    }

    private LlmException Unreadable(string path, string what) =>
        new(LlmErrorId.InvalidResponse, $"{failures.EndpointDisplay} answered {path} with {what}; it does not speak the Batch API.");

    private static BatchState ToState(JsonElement batch)
    {
        var counts = batch.TryGetProperty("request_counts", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        return new BatchState(
            Str(batch, "id") ?? string.Empty,
            Str(batch, "status") ?? "unknown",
            Int(counts, "total"),
            Int(counts, "completed"),
            Int(counts, "failed"),
            Str(batch, "output_file_id"),
            Str(batch, "error_file_id"),
            Str(batch, "endpoint"),
            batch.TryGetProperty("created_at", out var created) && created.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
            Problems(batch));
    }

    private static string? Problems(JsonElement batch)
    {
        if (!batch.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object
            || !errors.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var texts = data.EnumerateArray().Select(e => string.Join(": ", new[] { Str(e, "code"), Str(e, "message") }.Where(s => s is not null))).ToList();
        return texts.Count == 0 ? null : string.Join("; ", texts);
    }

    private static int Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : 0;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
