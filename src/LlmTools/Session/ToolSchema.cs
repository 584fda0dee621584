using System.Collections;
using System.Management.Automation;
using System.Text.Json.Nodes;

namespace LlmTools.Session;

/// <summary>One parameter a tool offers the model: its name, type, whether it is mandatory, help and validation.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its .NET type.</param>
/// <param name="Mandatory">True when the command cannot run without it.</param>
/// <param name="Help">Its help text, when the command has some.</param>
/// <param name="Attributes">Its validation attributes (ValidateSet, ValidateRange, ...).</param>
internal sealed record ToolParameter(string Name, Type Type, bool Mandatory, string? Help, IReadOnlyList<Attribute> Attributes);

/// <summary>
/// The JSON schema of a command's parameters, from their metadata: types, mandatory, ValidateSet as enum,
/// ValidateRange as minimum/maximum, ValidateLength, ValidatePattern, ValidateCount, help as descriptions. Strict
/// when OpenAI's strict mode can carry the schema: every property listed as required, optional ones nullable.
/// </summary>
internal static class ToolSchema
{
    /// <summary>The schema text, and whether strict mode can hold it (no untyped values, no string lengths).</summary>
    public static (string Schema, bool Strict) For(IReadOnlyList<ToolParameter> parameters)
    {
        var strict = true;
        var properties = new JsonObject();
        foreach (var parameter in parameters)
        {
            var (schema, typed) = ForType(parameter.Type);
            strict &= typed;
            foreach (var attribute in parameter.Attributes)
            {
                strict &= Apply(attribute, parameter.Type, schema);
            }

            if (!string.IsNullOrWhiteSpace(parameter.Help))
            {
                schema["description"] = parameter.Help.Trim();
            }

            properties[parameter.Name] = schema;
        }

        var required = parameters.Where(p => p.Mandatory).Select(p => p.Name).ToList();
        if (strict)
        {
            // why: strict mode wants every property required; an optional one says so by also accepting null
            foreach (var parameter in parameters.Where(p => !p.Mandatory))
            {
                MakeNullable((JsonObject)properties[parameter.Name]!);
            }

            required = parameters.Select(p => p.Name).ToList();
        }

        var root = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray(required.Select(name => (JsonNode)name).ToArray()),
            ["additionalProperties"] = false,
        };
        return (root.ToJsonString(), strict);
    }

    /// <summary>The schema of a .NET type, and false when it is untyped (any value).</summary>
    private static (JsonObject Schema, bool Typed) ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray || (type != typeof(string) && typeof(IList).IsAssignableFrom(type) && type.IsGenericType))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            var (items, typed) = ForType(element);
            return (new JsonObject { ["type"] = "array", ["items"] = items }, typed);
        }

        if (type.IsEnum)
        {
            return (new JsonObject { ["type"] = "string", ["enum"] = Strings(Enum.GetNames(type)) }, true);
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => (Typed("boolean"), true),
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => (Typed("integer"), true),
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => (Typed("number"), true),
            TypeCode.DateTime => (new JsonObject { ["type"] = "string", ["format"] = "date-time" }, true),
            _ when type == typeof(SwitchParameter) => (Typed("boolean"), true),
            _ when typeof(IDictionary).IsAssignableFrom(type) => (new JsonObject { ["type"] = "object" }, false),
            _ when type == typeof(object) || type == typeof(PSObject) => (new JsonObject(), false),
            // why string for the rest (FileInfo, Uri, Guid, TimeSpan, ...): PowerShell's binder converts text to them
            _ => (Typed("string"), true),
        };
    }

    /// <summary>Adds what a validation attribute says to <paramref name="schema"/>; false when strict mode cannot carry it.</summary>
    private static bool Apply(Attribute attribute, Type type, JsonObject schema)
    {
        var target = schema["type"]?.GetValue<string>() == "array" ? (JsonObject)schema["items"]! : schema;
        switch (attribute)
        {
            case ValidateSetAttribute set:
                if (EnumOf(set.ValidValues, target["type"]?.GetValue<string>()) is { } values)
                {
                    target["enum"] = values;
                }

                return true;
            case ValidateRangeAttribute { MinRange: not null, MaxRange: not null } range when target["type"]?.GetValue<string>() is "integer" or "number":
                target["minimum"] = JsonValue.Create(Convert.ToDouble(range.MinRange, System.Globalization.CultureInfo.InvariantCulture));
                target["maximum"] = JsonValue.Create(Convert.ToDouble(range.MaxRange, System.Globalization.CultureInfo.InvariantCulture));
                return true;
            case ValidatePatternAttribute pattern:
                target["pattern"] = pattern.RegexPattern;
                return true;
            case ValidateCountAttribute count when schema["type"]?.GetValue<string>() == "array":
                schema["minItems"] = count.MinLength;
                schema["maxItems"] = count.MaxLength;
                return true;
            case ValidateLengthAttribute length:
                target["minLength"] = length.MinLength;
                target["maxLength"] = length.MaxLength;
                return false; // why: strict mode does not take string lengths
            case ValidateNotNullOrEmptyAttribute when type == typeof(string):
                target["minLength"] = 1;
                return false;
            default:
                return true;
        }
    }

    /// <summary>The set's values in the schema's own type ([ValidateSet(1, 2)][int] gives 1 and 2, not "1" and "2"); null when one does not convert.</summary>
    private static JsonArray? EnumOf(IEnumerable<string> values, string? type)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var nodes = new List<JsonNode>();
        foreach (var value in values)
        {
            JsonNode? node = type switch
            {
                "integer" => long.TryParse(value, System.Globalization.NumberStyles.Integer, invariant, out var whole) ? JsonValue.Create(whole) : null,
                "number" => double.TryParse(value, System.Globalization.NumberStyles.Float, invariant, out var real) ? JsonValue.Create(real) : null,
                "boolean" => bool.TryParse(value, out var flag) ? JsonValue.Create(flag) : null,
                _ => JsonValue.Create(value),
            };
            if (node is null)
            {
                return null;
            }

            nodes.Add(node);
        }

        return new JsonArray(nodes.ToArray());
    }

    private static void MakeNullable(JsonObject schema)
    {
        var type = schema["type"]!.GetValue<string>();
        schema["type"] = new JsonArray(type, "null");
        if (schema["enum"] is JsonArray values)
        {
            values.Add(null);
        }
    }

    private static JsonObject Typed(string type) => new() { ["type"] = type };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
