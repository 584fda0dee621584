using System.Text;
using System.Text.Json.Nodes;

namespace LlmTools.TestServer;

/// <summary>
/// The server's Files and Batch API state: uploaded files and batches whose status advances one step per GET
/// (validating → in_progress → finalizing → completed), or stays where <see cref="Hold"/> keeps it. On completion each
/// input line is answered as the synchronous routes would answer it; output lines are written in reverse input order
/// (the provider promises no order) and lines whose text holds <see cref="FailText"/> go to the error file.
/// Wire shapes follow openai/openai-openapi (OpenAIFile, Batch, BatchRequestOutput).
/// </summary>
public sealed class BatchStore
{
    private static readonly string[] Steps = ["validating", "in_progress", "finalizing", "completed"];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (byte[] Content, string Purpose, string Name)> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _batches = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>When false, the files and batches routes answer 404, as a server without a Batch API does.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When true, batches stop advancing at in_progress (a job still running).</summary>
    public bool Hold { get; set; }

    /// <summary>A line whose prompt or text contains this fails with 400 in the error file.</summary>
    public string FailText { get; set; } = "FAIL-THIS-LINE";

    /// <summary>Characters of 'x' added to every chat answer, for output files larger than any one HTTP answer may be.</summary>
    public int AnswerPadding { get; set; }

    /// <summary>Bytes of every file uploaded with purpose batch, oldest first.</summary>
    public IReadOnlyList<byte[]> UploadedBatchFiles
    {
        get
        {
            lock (_gate)
            {
                return _files.Where(f => f.Value.Purpose == "batch").OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value.Content).ToList();
            }
        }
    }

    /// <summary>How many batches were created.</summary>
    public int BatchCount
    {
        get
        {
            lock (_gate)
            {
                return _batches.Count;
            }
        }
    }

    internal JsonObject AddFile(byte[] content, string purpose, string name)
    {
        lock (_gate)
        {
            var id = $"file-{++_next:D6}";
            _files[id] = (content, purpose, name);
            return FileJson(id, content.Length, purpose, name);
        }
    }

    internal byte[]? FileContent(string id)
    {
        lock (_gate)
        {
            return _files.TryGetValue(id, out var file) ? file.Content : null;
        }
    }

    internal JsonObject? Create(string inputFileId, string endpoint)
    {
        lock (_gate)
        {
            if (!_files.ContainsKey(inputFileId))
            {
                return null;
            }

            var id = $"batch_{++_next:D6}";
            var lines = Lines(_files[inputFileId].Content).Count;
            var batch = new JsonObject
            {
                ["id"] = id,
                ["object"] = "batch",
                ["endpoint"] = endpoint,
                ["errors"] = null,
                ["input_file_id"] = inputFileId,
                ["completion_window"] = "24h",
                ["status"] = "validating",
                ["output_file_id"] = null,
                ["error_file_id"] = null,
                ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["request_counts"] = new JsonObject { ["total"] = lines, ["completed"] = 0, ["failed"] = 0 },
                ["metadata"] = null,
            };
            _batches[id] = batch;
            return (JsonObject)batch.DeepClone();
        }
    }

    /// <summary>The batch as GET answers it: one step further on each call.</summary>
    internal JsonObject? Advance(string id)
    {
        lock (_gate)
        {
            if (!_batches.TryGetValue(id, out var batch))
            {
                return null;
            }

            var status = (string)batch["status"]!;
            if (status == "cancelling")
            {
                batch["status"] = "cancelled";
            }
            else if (Array.IndexOf(Steps, status) is var step and >= 0 and < 3 && !(Hold && step >= 1))
            {
                batch["status"] = Steps[step + 1];
                if (step + 1 == 3)
                {
                    Complete(batch);
                }
            }

            return (JsonObject)batch.DeepClone();
        }
    }

    internal JsonObject? Cancel(string id)
    {
        lock (_gate)
        {
            if (!_batches.TryGetValue(id, out var batch))
            {
                return null;
            }

            if ((string)batch["status"]! is "validating" or "in_progress" or "finalizing")
            {
                batch["status"] = "cancelling";
            }

            return (JsonObject)batch.DeepClone();
        }
    }

    internal JsonObject List(int limit)
    {
        lock (_gate)
        {
            var data = _batches.Values.OrderByDescending(b => (string)b["id"]!, StringComparer.Ordinal).Take(limit).Select(b => (JsonNode)b.DeepClone()).ToArray();
            return new JsonObject { ["object"] = "list", ["data"] = new JsonArray(data), ["has_more"] = _batches.Count > limit };
        }
    }

    private void Complete(JsonObject batch)
    {
        var input = Lines(_files[(string)batch["input_file_id"]!].Content);
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var failed = 0;
        foreach (var line in Enumerable.Reverse(input))
        {
            var request = JsonNode.Parse(line)!.AsObject();
            var answer = BatchAnswers.For(request, FailText, AnswerPadding);
            (answer.Failed ? errors : output).Append(answer.Line.ToJsonString(JsonOut.Options)).Append('\n');
            failed += answer.Failed ? 1 : 0;
        }

        batch["output_file_id"] = ((JsonObject)AddFile(Encoding.UTF8.GetBytes(output.ToString()), "batch_output", "output.jsonl"))["id"]!.DeepClone();
        if (failed > 0)
        {
            batch["error_file_id"] = AddFile(Encoding.UTF8.GetBytes(errors.ToString()), "batch_output", "errors.jsonl")["id"]!.DeepClone();
        }

        batch["request_counts"] = new JsonObject { ["total"] = input.Count, ["completed"] = input.Count - failed, ["failed"] = failed };
    }

    private static List<string> Lines(byte[] content) =>
        Encoding.UTF8.GetString(content).Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).ToList();

    private static JsonObject FileJson(string id, int bytes, string purpose, string name) => new()
    {
        ["id"] = id,
        ["object"] = "file",
        ["bytes"] = bytes,
        ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["filename"] = name,
        ["purpose"] = purpose,
    };
}
