using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Caching;

/// <summary>
/// Cache keys: the lowercase hex SHA-256 of the canonical JSON of what decides an answer (provider, endpoint host,
/// model, messages, sampling options, response format, dimensions), never the API key, timeout or retry settings.
/// </summary>
public static class CacheKeys
{
    /// <summary>The key of a chat answer.</summary>
    public static string ForChat(string provider, string endpointHost, ChatRequest request) =>
        Compute(ChatCacheKey.For(provider, endpointHost, request) with { Wire = ChatCacheKey.WirePart.Of(request.Wire) });

    /// <summary>The key of one text's vector.</summary>
    public static string ForEmbedding(string provider, string endpointHost, string model, int? dimensions, string text) =>
        Compute(new EmbeddingCacheKey(provider, endpointHost, model, dimensions, text));

    /// <summary>
    /// Lowercase hex SHA-256 of the canonical JSON of <paramref name="keyMaterial"/>: object and dictionary
    /// properties sorted by ordinal name, null properties left out (so a new optional property keeps old keys while
    /// it is unset), numbers in System.Text.Json's invariant round-trip form, enums by name, no whitespace.
    /// </summary>
    public static string Compute<T>(T keyMaterial) =>
        Convert.ToHexString(SHA256.HashData(CanonicalJson.Canonicalize(keyMaterial))).ToLowerInvariant();

    /// <summary>True for 64 lowercase hex characters, the only names the cache reads, writes or removes.</summary>
    public static bool IsValid(string? key) => key is { Length: 64 } && IsLowerHex(key);

    internal static bool IsLowerHex(string text) => text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}

/// <summary>
/// What a chat answer's key hashes. Why its own flat shape and not the request type: the stored keys must not change
/// when the engine's request type is reorganised (renaming a property here orphans every cached answer; a test pins it).
/// </summary>
internal sealed record ChatCacheKey(string Provider, string EndpointHost, ChatCacheKey.RequestPart Request)
{
    public string Kind => CacheKinds.Chat;

    /// <summary>
    /// The API and server-side state, when not Chat Completions. Why in the key: the two APIs may answer the same
    /// messages differently, and a continued response depends on the stored one. Null keeps every older key as it was.
    /// </summary>
    public WirePart? Wire { get; init; }

    /// <summary>What of the wire decides an answer: the API, the response continued, and whether it is stored (its id then lives on).</summary>
    internal sealed record WirePart(string Api, string? PreviousResponseId, bool? Store = null)
    {
        // why Store only when true: an answer made with store=false must not answer a -Store call (its id was never kept,
        // so continuing from it fails), while every store=false key stays what it was
        public static WirePart? Of(ChatWire wire) => wire.Api == ChatApi.ChatCompletions ? null : new(wire.Api.ToString(), wire.PreviousResponseId, wire.Store ? true : null);
    }

    public static ChatCacheKey For(string provider, string endpointHost, ChatRequest request)
    {
        var sampling = request.Sampling;
        return new(provider, endpointHost, new RequestPart(
            KeyMessages(request.Messages), request.Model, sampling.MaxTokens, sampling.Temperature, sampling.TopP, sampling.FrequencyPenalty,
            sampling.PresencePenalty, sampling.Stop, sampling.Seed, request.ResponseFormat, sampling.ReasoningEffort, sampling.Verbosity,
            request.Tools is { Count: > 0 } ? request.Tools : null, request.ToolChoice));
    }

    /// <summary>
    /// The messages as the key hashes them: an attachment's bytes by their SHA-256. Why: a 20 MB image would otherwise
    /// go through the canonical JSON as 27 MB of base64, three times over, for every request; the digest decides the
    /// same. Messages without attachments are the same objects, so every other key is what it was.
    /// </summary>
    private static IReadOnlyList<ChatMessage> KeyMessages(IReadOnlyList<ChatMessage> messages) =>
        messages.Any(m => m.Attachments is { Count: > 0 })
            ? messages.Select(m => m.Attachments is { Count: > 0 } files
                ? m with { Attachments = files.Select(a => a.Data is { } data ? a with { Data = SHA256.HashData(data) } : a).ToList() }
                : m).ToList()
            : messages;

    internal sealed record RequestPart(
        IReadOnlyList<ChatMessage> Messages,
        string Model,
        int? MaxTokens,
        float? Temperature,
        float? TopP,
        float? FrequencyPenalty,
        float? PresencePenalty,
        IReadOnlyList<string>? Stop,
        long? Seed,
        ResponseFormat? ResponseFormat,
        string? ReasoningEffort = null, // why last and null by default: an unset new property leaves every older key as it was
        string? Verbosity = null,
        IReadOnlyList<ToolDefinition>? Tools = null,
        string? ToolChoice = null);
}

/// <summary>What one text's vector key hashes: provider, endpoint host, model, dimensions and text.</summary>
internal sealed record EmbeddingCacheKey(string Provider, string EndpointHost, string Model, int? Dimensions, string Text)
{
    public string Kind => CacheKinds.Embedding;
}

/// <summary>
/// The canonical JSON form keys hash. Why canonical: a key must not change when a dictionary was filled in another
/// order, a record declares its properties in another order, or the thread runs under a culture with a decimal comma.
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    // why: a fixed encoder, so the escaping of a string never depends on a serializer default
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The canonical UTF-8 JSON of <paramref name="material"/>.</summary>
    public static byte[] Canonicalize<T>(T material)
    {
        // why the runtime type: material passed as a base type must not lose the derived type's properties
        // (two different requests would share a key); nested values follow System.Text.Json's declared-type rules
        var raw = JsonSerializer.SerializeToUtf8Bytes(material, material?.GetType() ?? typeof(T), SerializerOptions);
        using var document = JsonDocument.Parse(raw);
        var buffer = new ArrayBufferWriter<byte>(raw.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(document.RootElement, writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (property.Value.ValueKind != JsonValueKind.Null) // why: dictionaries keep nulls; records drop them
                    {
                        writer.WritePropertyName(property.Name);
                        Write(property.Value, writer);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // numbers, true, false: the serializer's text is already invariant and round-trip
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
