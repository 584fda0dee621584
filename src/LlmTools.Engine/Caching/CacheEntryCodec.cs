using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace LlmTools.Engine.Caching;

/// <summary>Entry files to bytes and back; decoding never throws for bad content, it names the problem.</summary>
internal static class CacheEntryCodec
{
    private const int PreviewLength = 80;

    public static byte[] Encode<T>(string key, CacheEntryMetadata metadata, DateTimeOffset created, T value)
    {
        var envelope = new CacheEnvelope<T>
        {
            Format = CacheEnvelopeHeader.CurrentFormat,
            Key = key,
            Kind = metadata.Kind,
            Model = metadata.Model,
            Provider = metadata.Provider,
            EndpointHost = HostOnly(metadata.EndpointHost),
            Created = created.ToUniversalTime(),
            Preview = Preview(metadata.Preview),
            Payload = value,
        };
        return JsonSerializer.SerializeToUtf8Bytes(envelope, CacheJson.Options);
    }

    /// <summary>Parses a whole entry (<see cref="CacheEnvelope{T}"/>) or just its header, and checks it belongs to <paramref name="key"/>.</summary>
    public static bool TryDecode<TEnvelope>(byte[] bytes, string key, [NotNullWhen(true)] out TEnvelope? envelope, out string problem)
        where TEnvelope : CacheEnvelopeHeader
    {
        envelope = null;
        if (bytes.Length == 0)
        {
            problem = "empty file";
            return false;
        }

        try
        {
            envelope = JsonSerializer.Deserialize<TEnvelope>(bytes, CacheJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            problem = "not a complete entry: " + ex.Message;
            return false;
        }

        problem = envelope is null ? "not an entry: the file holds null" : envelope.Problem(key) ?? string.Empty;
        return problem.Length == 0;
    }

    /// <summary>One wording for an unreadable entry, wherever it is met (lookups, listings).</summary>
    public static string CorruptWarning(string path, string? reason) =>
        $"Cache entry '{path}' is unreadable ({reason}); it counts as a miss and the next answer for that request replaces it.";

    /// <summary>The first <see cref="PreviewLength"/> characters on one line, for listings.</summary>
    public static string? Preview(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var flat = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= PreviewLength ? flat : string.Concat(flat.AsSpan(0, PreviewLength - 1), "…");
    }

    // why: a caller might hand over a whole URL; only the host (and port) is kept, never credentials or a query
    public static string? HostOnly(string? endpoint) =>
        endpoint is not null && endpoint.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            ? (uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}")
            : endpoint;
}
