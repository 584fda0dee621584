using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmTools.Session;

/// <summary>
/// JSON to PowerShell objects (like ConvertFrom-Json) and PowerShell values to JSON text (for -JsonSchema
/// given as a hashtable). Own code, because the Utility cmdlets are not there in every host.
/// </summary>
internal static class JsonConversion
{
    /// <summary>Parses <paramref name="json"/> into PSCustomObjects, object[] and primitives.</summary>
    public static object? ToPowerShell(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Convert(document.RootElement);
    }

    /// <summary>Hashtables, PSCustomObjects, arrays and primitives as JSON text; a string is taken as JSON already.</summary>
    public static string ToJson(object value)
    {
        var baseValue = value is PSObject pso ? pso.BaseObject : value;
        return baseValue is string text ? JsonNode.Parse(text)!.ToJsonString() : ToNode(value)!.ToJsonString();
    }

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToPSObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ToPSObject(JsonElement element)
    {
        var result = new PSObject();
        foreach (var property in element.EnumerateObject())
        {
            result.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value)));
        }

        return result;
    }

    private static JsonNode? ToNode(object? value)
    {
        var baseValue = value is PSObject pso && pso.BaseObject is not PSCustomObject ? pso.BaseObject : value;
        switch (baseValue)
        {
            case null:
                return null;
            case bool flag:
                return JsonValue.Create(flag);
            case string or char:
                return JsonValue.Create(baseValue.ToString());
            case int or long or short or byte or double or float or decimal:
                return JsonNode.Parse(System.Convert.ToString(baseValue, System.Globalization.CultureInfo.InvariantCulture)!);
            case IDictionary dictionary:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    obj[entry.Key.ToString()!] = ToNode(entry.Value);
                }

                return obj;
            case PSObject custom:
                var fromProperties = new JsonObject();
                foreach (var property in custom.Properties)
                {
                    fromProperties[property.Name] = ToNode(property.Value);
                }

                return fromProperties;
            case IEnumerable items:
                return new JsonArray(items.Cast<object?>().Select(ToNode).ToArray());
            default:
                return JsonValue.Create(baseValue.ToString());
        }
    }
}
