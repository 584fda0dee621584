using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmTools.Engine.Caching;

/// <summary>Serializer settings of entry files (not of keys: see <see cref="CanonicalJson"/>).</summary>
internal static class CacheJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },

        // why: previews and answers in any language stay readable when someone opens the file
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
