using System.Management.Automation;

namespace LlmTools.Output;

/// <summary>
/// What Send-LlmMessage -MergeInput writes: the input row with the answer added as columns. Why: the module's headline
/// use is Import-Csv | Send-LlmMessage | Export-Csv, and the CSV should read as the input plus answers, not as
/// type names and @{...} cells.
/// </summary>
internal static class MergedRow
{
    /// <summary>The column that holds the reply text.</summary>
    public const string AnswerColumn = "Answer";

    /// <summary>
    /// A copy of <paramref name="input"/>'s properties (a string or number becomes a Prompt column), then Answer,
    /// then each field of a structured answer (-JsonSchema, -Json) as its own column: a list or object as its JSON text
    /// (a CSV cell, not System.Object[]), and a field named like an input column (or Answer) as Answer.name, so no
    /// column is lost.
    /// </summary>
    public static PSObject From(object? input, LlmResponse response)
    {
        var row = new PSObject();
        switch (input)
        {
            case null:
                break;
            case PSObject custom:
                foreach (var property in custom.Properties.Where(p => p.IsGettable))
                {
                    Set(row, property.Name, property.Value);
                }

                break;
            case string or ValueType:
                Set(row, "Prompt", input);
                break;
            case System.Collections.IEnumerable:
                break; // why: a -Messages history has no columns of its own
            default:
                foreach (var property in PSObject.AsPSObject(input).Properties.Where(p => p.IsGettable))
                {
                    Set(row, property.Name, property.Value);
                }

                break;
        }

        Set(row, AnswerColumn, response.Content);
        if (response.Data is PSObject { BaseObject: PSCustomObject } fields)
        {
            var nested = NestedJson(response.Content);
            foreach (var field in fields.Properties)
            {
                var name = row.Properties[field.Name] is null ? field.Name : $"{AnswerColumn}.{field.Name}";
                Set(row, name, nested.TryGetValue(field.Name, out var json) ? json : field.Value);
            }
        }
        else if (response.Data is not null)
        {
            Set(row, "Data", response.Data);
        }

        return row;
    }

    /// <summary>The fields of the answer's JSON object whose values are lists or objects, as their JSON text.</summary>
    private static Dictionary<string, string> NestedJson(string content)
    {
        var nested = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(content);
            if (json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (var field in json.RootElement.EnumerateObject())
                {
                    if (field.Value.ValueKind is System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array)
                    {
                        nested[field.Name] = System.Text.Json.JsonSerializer.Serialize(field.Value); // why Serialize: compact, whatever the model's spacing
                    }
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // why silent: Data was parsed already; an answer that is not JSON has no nested fields
        }

        return nested;
    }

    private static void Set(PSObject row, string name, object? value)
    {
        row.Properties.Remove(name);
        row.Properties.Add(new PSNoteProperty(name, value));
    }
}
