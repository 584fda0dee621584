using System.ClientModel;
using System.Globalization;
using System.Text.Json;

namespace LlmTools.Engine.Resilience;

/// <summary>Reads what a failed response said: OpenAI error JSON (message, code, type) and Retry-After.</summary>
internal static class ServerResponse
{
    public static (string? Message, string? Code, string? Type) Error(ClientResultException ex)
    {
        try
        {
            var body = ex.GetRawResponse()?.Content?.ToString();
            if (string.IsNullOrWhiteSpace(body))
            {
                return (null, null, null);
            }

            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            return (Text(error, "message"), Text(error, "code"), Text(error, "type"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, null, null); // why: proxies answer with HTML; the status alone must do then
        }
    }

    /// <summary>retry-after-ms (Azure, OpenAI) wins over retry-after (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(ClientResultException ex, DateTimeOffset now)
    {
        var headers = ex.GetRawResponse()?.Headers;
        if (headers is null)
        {
            return null;
        }

        if (headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (headers.TryGetValue("retry-after", out var value) && value is not null)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
