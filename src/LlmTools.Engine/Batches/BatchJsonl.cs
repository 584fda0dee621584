using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LlmTools.Engine.Batches;

/// <summary>
/// The batch file format: one request per line, {"custom_id","method":"POST","url","body"}, and the output and error
/// lines that come back, {"id","custom_id","response":{"status_code","request_id","body"},"error":{"code","message"}}.
/// Checked against the OpenAI spec's BatchRequestInput and BatchRequestOutput (openai/openai-openapi, as generated in
/// oapicf/openapi-openai; the API reference's "request output object" example) and the Batch API guide (50,000
/// requests and 200 MB per file); Azure's global batch (Microsoft Learn, "Getting started with Azure OpenAI global
/// batch deployments") uses the same lines with url "/chat/completions" and the deployment as body.model.
/// </summary>
public static class BatchJsonl
{
    private const string Prefix = "item-";

    /// <summary>
    /// The custom_id of the input at <paramref name="index"/>. Why the index and nothing else: Receive maps a line back to
    /// its input without a lookup table, whatever order the provider writes its output in, on any machine.
    /// </summary>
    public static string CustomId(int index) => Prefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The input index a custom_id names; null for one this module did not write.</summary>
    public static int? IndexOf(string? customId) =>
        customId is not null && customId.StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(customId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;

    /// <summary>One input line (UTF-8, ending in \n): <paramref name="body"/> is the request's JSON, written as it is.</summary>
    public static byte[] Line(int index, string url, ReadOnlySpan<byte> body)
    {
        using var stream = new MemoryStream(body.Length + 96);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("custom_id", CustomId(index));
            writer.WriteString("method", "POST");
            writer.WriteString("url", url);
            writer.WritePropertyName("body");
            writer.WriteRawValue(body, skipInputValidation: true);
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>The body of one embeddings line: the synchronous request's fields, for one text.</summary>
    public static byte[] EmbeddingBody(string model, string text, int? dimensions)
    {
        using var stream = new MemoryStream(text.Length + 64);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("input", text);
            writer.WriteString("model", model);
            if (dimensions is { } d)
            {
                writer.WriteNumber("dimensions", d);
            }

            writer.WriteString("encoding_format", "base64"); // why: a third of the size of floats as JSON text, as the SDK asks too
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Splits lines into files within <paramref name="limits"/>, in order: a file ends before the line that would make it
    /// hold more requests or bytes than allowed. Returns the index ranges (start, count) of the files.
    /// </summary>
    public static IReadOnlyList<(int Start, int Count, long Bytes)> Split(IReadOnlyList<byte[]> lines, BatchLimits limits)
    {
        var files = new List<(int, int, long)>();
        var start = 0;
        long bytes = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var size = lines[i].LongLength;
            if (size > limits.MaxBytes)
            {
                throw new Diagnostics.LlmException(
                    Diagnostics.LlmErrorId.InputTooLong,
                    $"The request of input {i} is {size:N0} bytes; a batch file holds at most {limits.MaxBytes:N0}. Send it without -AsBatch.");
            }

            if (i > start && (i - start >= limits.MaxRequests || bytes + size > limits.MaxBytes))
            {
                files.Add((start, i - start, bytes));
                start = i;
                bytes = 0;
            }

            bytes += size;
        }

        if (lines.Count > start)
        {
            files.Add((start, lines.Count - start, bytes));
        }

        return files;
    }

    /// <summary>
    /// The batches (of <paramref name="batches"/>) and the inputs each answers, in input order. Why contiguous: the files
    /// are split in input order, so batch k covers its first input (<paramref name="starts"/>[k]) up to the next one's;
    /// a reader then holds one batch's results at a time. Without ranges (or batches): one range of all inputs.
    /// </summary>
    public static IEnumerable<(Range Batches, Range Inputs)> Ranges(IReadOnlyList<int> starts, int inputs, int batches)
    {
        if (starts.Count != batches || batches == 0)
        {
            yield return (Range.All, Range.All);
            yield break;
        }

        for (var k = 0; k < batches; k++)
        {
            yield return (new Range(k, k + 1), new Range(starts[k], k + 1 < batches ? starts[k + 1] : inputs));
        }
    }

    /// <summary>Reads an output or error file; lines it cannot map back to an input (not ours, not JSON) are skipped.</summary>
    public static IEnumerable<BatchLineResult> ReadResults(Stream file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        while (reader.ReadLine() is { } raw)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            BatchLineResult? result;
            try
            {
                result = ReadLine(raw);
            }
            catch (JsonException)
            {
                result = null;
            }

            if (result is not null)
            {
                yield return result;
            }
        }
    }

    private static BatchLineResult? ReadLine(string raw)
    {
        using var document = JsonDocument.Parse(raw);
        var root = document.RootElement;
        if (IndexOf(Str(root, "custom_id")) is not { } index)
        {
            return null;
        }

        int? status = null;
        string? body = null;
        string? error = null;
        if (root.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object)
        {
            status = response.TryGetProperty("status_code", out var code) && code.TryGetInt32(out var c) ? c : null;
            if (response.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.Object)
            {
                body = b.GetRawText();
                if (status is not (>= 200 and < 300) && b.TryGetProperty("error", out var bodyError))
                {
                    error = ErrorText(bodyError);
                }
            }
        }

        if (root.TryGetProperty("error", out var lineError) && lineError.ValueKind == JsonValueKind.Object)
        {
            error = ErrorText(lineError);
        }

        if (error is null && status is not null and not (>= 200 and < 300))
        {
            error = $"status {status}";
        }

        return new BatchLineResult(index, status, body, error);
    }

    private static string ErrorText(JsonElement error) =>
        error.ValueKind != JsonValueKind.Object ? error.ToString()
            : string.Join(": ", new[] { Str(error, "code"), Str(error, "message") }.Where(s => !string.IsNullOrEmpty(s)));

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
