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
    /// then each field of a structured answer (-JsonSchema, -Json) as its own column; a later column of the same name wins.
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
            foreach (var field in fields.Properties)
            {
                Set(row, field.Name, field.Value);
            }
        }
        else if (response.Data is not null)
        {
            Set(row, "Data", response.Data);
        }

        return row;
    }

    private static void Set(PSObject row, string name, object? value)
    {
        row.Properties.Remove(name);
        row.Properties.Add(new PSNoteProperty(name, value));
    }
}
