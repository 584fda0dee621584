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
    // why a limit: a self-referencing or 20,000-deep hashtable would recurse until the stack overflows, which kills
    // the process (no catch can stop it); no schema a model accepts is anywhere near this deep
    private const int MaxDepth = 32;

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
        return baseValue is string text ? JsonNode.Parse(text)!.ToJsonString() : ToNode(value, new(ReferenceEqualityComparer.Instance))!.ToJsonString();
    }

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToPSObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToArray(),
        JsonValueKind.String => element.GetString(),
        // why the cast: without it the conditional is a double, and 42 came back as 42.0 where ConvertFrom-Json gives [long]
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
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

    /// <param name="value">The value to convert.</param>
    /// <param name="path">The containers above <paramref name="value"/>: a container met again refers to itself.</param>
    private static JsonNode? ToNode(object? value, HashSet<object> path)
    {
        var baseValue = value is PSObject pso && pso.BaseObject is not PSCustomObject ? pso.BaseObject : value;
        if (baseValue is IDictionary or PSObject or IEnumerable and not string)
        {
            if (path.Count >= MaxDepth)
            {
                throw new JsonException($"it is nested more than {MaxDepth} levels deep.");
            }

            if (!path.Add(baseValue))
            {
                throw new JsonException("it contains itself (a hashtable or object that refers back to one that holds it).");
            }

            try
            {
                return ContainerToNode(baseValue, path);
            }
            finally
            {
                path.Remove(baseValue);
            }
        }

        return ContainerToNode(baseValue, path);
    }

    private static JsonNode? ContainerToNode(object? baseValue, HashSet<object> path)
    {
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
                    obj[entry.Key.ToString()!] = ToNode(entry.Value, path);
                }

                return obj;
            case PSObject custom:
                var fromProperties = new JsonObject();
                foreach (var property in custom.Properties)
                {
                    fromProperties[property.Name] = ToNode(property.Value, path);
                }

                return fromProperties;
            case IEnumerable items:
                return new JsonArray(items.Cast<object?>().Select(item => ToNode(item, path)).ToArray());
            default:
                return JsonValue.Create(baseValue.ToString());
        }
    }
}
