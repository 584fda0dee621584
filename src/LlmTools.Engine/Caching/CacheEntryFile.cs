using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmTools.Engine.Caching;

/// <summary>
/// The format of an entry file, and its bytes both ways. Format 1 is one JSON object, camelCase: format, key, kind,
/// model, provider, endpointHost, created (ISO 8601 UTC), preview, then payload (the answer). Nothing secret is ever
/// written. Decoding never throws for bad content: it names the problem.
/// </summary>
internal static class CacheEntryFile
{
    public const int CurrentFormat = 1;
    private const int PreviewLength = 80;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // why: previews and answers in any language stay readable
    };

    public static byte[] Encode<T>(string key, CacheEntryMetadata metadata, DateTimeOffset created, T value) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new Envelope<T>
            {
                Format = CurrentFormat,
                Key = key,
                Kind = metadata.Kind,
                Model = metadata.Model,
                Provider = metadata.Provider,
                EndpointHost = HostOnly(metadata.EndpointHost),
                Created = created.ToUniversalTime(),
                Preview = Preview(metadata.Preview),
                Payload = value,
            },
            Options);

    /// <summary>Parses a whole entry (<see cref="Envelope{T}"/>) or just its <see cref="Header"/>, and checks it belongs to <paramref name="key"/>.</summary>
    public static bool TryDecode<TEnvelope>(byte[] bytes, string key, [NotNullWhen(true)] out TEnvelope? envelope, out string problem)
        where TEnvelope : Header
    {
        envelope = null;
        if (bytes.Length == 0)
        {
            problem = "empty file";
            return false;
        }

        try
        {
            envelope = JsonSerializer.Deserialize<TEnvelope>(bytes, Options);
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
    private static string? HostOnly(string? endpoint) =>
        endpoint is not null && endpoint.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            ? (uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}")
            : endpoint;

    /// <summary>
    /// The metadata part of an entry. Listing reads only this (the serializer skips the payload, but still checks
    /// the whole file is well-formed JSON, so a truncated file is caught).
    /// </summary>
    internal class Header
    {
        public int Format { get; set; }

        public string? Key { get; set; }

        public string? Kind { get; set; }

        public string? Model { get; set; }

        public string? Provider { get; set; }

        public string? EndpointHost { get; set; }

        public DateTimeOffset? Created { get; set; }

        public string? Preview { get; set; }

        [JsonIgnore]
        public virtual bool HasPayload => true;

        /// <summary>Null when the header belongs to <paramref name="expectedKey"/> and is complete; else what is wrong.</summary>
        public string? Problem(string expectedKey)
        {
            if (Format != CurrentFormat)
            {
                return Format == 0 ? "no format version" : $"format version {Format} is not supported (expected {CurrentFormat})";
            }

            if (!string.Equals(Key, expectedKey, StringComparison.Ordinal))
            {
                return "the key inside does not match the file name";
            }

            if (string.IsNullOrEmpty(Kind) || string.IsNullOrEmpty(Model) || string.IsNullOrEmpty(Provider) || Created is null)
            {
                return "kind, model, provider or created is missing";
            }

            return HasPayload ? null : "no payload";
        }

        public CacheEntryMetadata ToMetadata() => new(Kind!, Model!, Provider!, EndpointHost, Preview);
    }

    /// <summary>A whole entry: the header, then the cached answer.</summary>
    internal sealed class Envelope<T> : Header
    {
        // why: last in the file, so the metadata a person or a listing looks for comes first
        [JsonPropertyOrder(1)]
        public T? Payload { get; set; }

        [JsonIgnore]
        public override bool HasPayload => Payload is not null;
    }
}
