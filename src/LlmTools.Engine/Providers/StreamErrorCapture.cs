using System.Text;
using System.Text.Json;

namespace LlmTools.Engine.Providers;

/// <summary>
/// What a stream's error event said. Why: the SDK skips a server-sent event of the form data: {"error": {...}} (vLLM,
/// LiteLLM and OpenAI send one when a stream fails midway), so the user saw only that the stream stopped. The HTTP
/// layer watches the lines of an event stream for such an event and keeps its message for the call that started it.
/// </summary>
internal static class StreamErrorCapture
{
    private static readonly AsyncLocal<Box?> Current = new();

    /// <summary>Starts capturing for the stream opened from here down in this async flow.</summary>
    public static Box Begin() => Current.Value = new Box();

    /// <summary>The box of the current call, or null (a plain call, a test of the transport alone).</summary>
    public static Box? Active => Current.Value;

    /// <summary>The message of the last error event seen, or null.</summary>
    internal sealed class Box
    {
        private const int LongestLine = 64 * 1024;
        private readonly List<byte> _line = [];

        public string? Message { get; private set; }

        /// <summary>Reads the next bytes of the event stream; complete lines are checked for an error event.</summary>
        public void Feed(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                if (b == (byte)'\n')
                {
                    Check(Encoding.UTF8.GetString(_line.ToArray()));
                    _line.Clear();
                }
                else if (_line.Count < LongestLine)
                {
                    _line.Add(b); // why a bound: a line longer than this is text, not an error event
                }
            }
        }

        private void Check(string line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal) || !line.Contains("\"error\"", StringComparison.Ordinal))
            {
                return;
            }

            try
            {
                using var json = JsonDocument.Parse(line["data:".Length..]);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error))
                {
                    Message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String
                        ? text.GetString()
                        : error.ToString();
                }
            }
            catch (JsonException)
            {
                // why silent: a line that is not JSON is no error event
            }
        }
    }
}
