using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LlmTools.TestServer;

/// <summary>One request as the server received it, before any fault or auth check.</summary>
public sealed class RecordedRequest
{
    public required string Method { get; init; }

    /// <summary>The path only, e.g. "/v1/chat/completions".</summary>
    public required string Path { get; init; }

    /// <summary>The raw query string including the leading '?', or "" when there is none.</summary>
    public required string Query { get; init; }

    /// <summary>Request headers (names case-insensitive; repeated headers joined with ", ").</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required string Body { get; init; }

    /// <summary>The body parsed as JSON, or null when it is empty or not JSON.</summary>
    public JsonNode? Json { get; init; }

    public required LlmRoute Route { get; init; }

    /// <summary>The {deployment} of an /openai/deployments/{deployment}/... route; null otherwise.</summary>
    public string? Deployment { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A query parameter's value (e.g. "api-version"), or null.</summary>
    public string? QueryValue(string name) =>
        QueryHelpers.ParseQuery(Query).TryGetValue(name, out var values) ? values.ToString() : null;

    internal static async Task<RecordedRequest> ReadAsync(HttpContext context, LlmRoute route, string? deployment)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers)
        {
            headers[name] = value.ToString();
        }

        return new RecordedRequest
        {
            Method = request.Method,
            Path = request.Path.Value ?? "",
            Query = request.QueryString.Value ?? "",
            Headers = headers,
            Body = body,
            Json = TryParse(body),
            Route = route,
            Deployment = deployment,
            ReceivedAt = DateTimeOffset.UtcNow,
        };
    }

    private static JsonNode? TryParse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
