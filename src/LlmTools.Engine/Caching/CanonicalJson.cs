using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmTools.Engine.Caching;

/// <summary>
/// The canonical JSON form that cache keys hash. Why a canonical form: a key must not change when a dictionary
/// was filled in another order, a record declares its properties in another order, or the thread runs under a
/// culture with a decimal comma.
/// </summary>
/// <remarks>
/// Rules: objects (records and dictionaries alike) have their properties sorted by ordinal name; null
/// properties are left out, so adding an optional property to the key record keeps old keys valid while it is
/// unset; numbers are System.Text.Json's invariant, shortest round-trip form (a <c>float</c> 0.7 is "0.7",
/// a <c>double</c> 1.0 is "1"; a <c>decimal</c> keeps its scale, "1.0"); enums are their names; no whitespace.
/// </remarks>
internal static class CanonicalJson
{
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    // why: a fixed encoder, so the escaping of a string never depends on a serializer default
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Lowercase hex SHA-256 of the canonical form of <paramref name="material"/>.</summary>
    public static string Hash<T>(T material)
    {
        var canonical = Canonicalize(material);
        return Convert.ToHexString(SHA256.HashData(canonical)).ToLowerInvariant();
    }

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
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        continue; // why: dictionaries keep null values; treat them like absent record properties
                    }

                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer);
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
                // numbers, true, false, null: the serializer's text is already invariant and round-trip
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
