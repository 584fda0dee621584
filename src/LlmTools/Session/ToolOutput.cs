using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Text;

namespace LlmTools.Session;

/// <summary>
/// A tool's output as the text the model reads, bounded: strings and numbers as lines, errors as "Error: ...",
/// hashtables and PSCustomObjects as JSON, other objects as the table or list PowerShell shows for them
/// (Out-String), which keeps a Process or a FileInfo to what a person would see. At most 20,000 characters.
/// </summary>
internal static class ToolOutput
{
    /// <summary>The most characters of one call's output sent to the model (about 5,000 tokens).</summary>
    public const int MaxCharacters = 20_000;

    private const int JsonDepth = 4;

    // why the items as pipeline input: passed as an argument, the array would bind its first item only
    private static readonly ScriptBlock Formatter = ScriptBlock.Create("$input | Out-String -Width 160");

    public static string Format(Collection<PSObject> output, PSCmdlet cmdlet)
    {
        if (output.Count == 0)
        {
            return "(no output)";
        }

        var text = new StringBuilder();
        var others = new List<PSObject>();
        foreach (var item in output)
        {
            switch (item.BaseObject)
            {
                case ErrorRecord error:
                    text.Append("Error: ").AppendLine(error.ToString());
                    break;
                case WarningRecord warning:
                    text.Append("Warning: ").AppendLine(warning.Message);
                    break;
                case InformationRecord information:
                    text.AppendLine(information.MessageData?.ToString());
                    break;
                case DateTime or DateTimeOffset:
                    // why ISO 8601 with its offset: 12/02/2026 is two dates, and a time without its zone is a guess
                    // ("o" gives a UTC date its Z and a local one its offset; an unspecified one has none to give, and none is invented)
                    text.AppendLine(item.BaseObject is DateTime date ? date.ToString("o", System.Globalization.CultureInfo.InvariantCulture) : ((DateTimeOffset)item.BaseObject).ToString("o", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case string or char or bool or Guid or Uri or Enum:
                case var number when number.GetType().IsPrimitive || number is decimal:
                    text.AppendLine(Convert.ToString(item.BaseObject, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case IDictionary or PSCustomObject:
                    text.AppendLine(Json(item));
                    break;
                default:
                    others.Add(item);
                    break;
            }
        }

        if (others.Count > 0)
        {
            text.Append(Formatted(others, cmdlet));
        }

        // why not Trim: the leading spaces of a table's first line line its header up with its columns
        var result = text.ToString().Trim('\r', '\n').TrimEnd();
        return result.Length <= MaxCharacters ? result : result[..MaxCharacters] + $"\n[cut: {result.Length - MaxCharacters:N0} more characters]";
    }

    private static string Formatted(List<PSObject> items, PSCmdlet cmdlet)
    {
        try
        {
            return string.Concat(cmdlet.InvokeCommand.InvokeScript(useLocalScope: true, Formatter, input: items, args: []).Select(line => line.BaseObject));
        }
        catch (CommandNotFoundException)
        {
            return string.Join(Environment.NewLine, items.Select(item => item.ToString())); // why: a host without the Utility module has no Out-String
        }
    }

    private static string Json(PSObject item)
    {
        try
        {
            return JsonConversion.ToJson(Bounded(item, JsonDepth) ?? string.Empty);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return item.ToString();
        }
    }

    // why: a model needs the data, not a live object graph; deeper values are shown as their text
    private static object? Bounded(object? value, int depth)
    {
        var baseValue = value is PSObject pso && pso.BaseObject is not PSCustomObject ? pso.BaseObject : value;
        switch (baseValue)
        {
            case null or string or bool or char:
                return baseValue;
            case DateTime date:
                return date.ToString("o", System.Globalization.CultureInfo.InvariantCulture); // why: as ConvertTo-Json writes dates, never a culture's
            case DateTimeOffset moment:
                return moment.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
            case var number when number.GetType().IsPrimitive || number is decimal:
                return baseValue;
            case IDictionary dictionary when depth > 0:
                var table = new System.Collections.Specialized.OrderedDictionary(); // why ordered: the model reads the fields as the tool wrote them
                foreach (DictionaryEntry entry in dictionary)
                {
                    table[entry.Key.ToString() ?? string.Empty] = Bounded(entry.Value, depth - 1);
                }

                return table;
            case PSObject custom when depth > 0:
                var copy = new System.Collections.Specialized.OrderedDictionary();
                foreach (var property in custom.Properties)
                {
                    copy[property.Name] = Bounded(SafeValue(property), depth - 1);
                }

                return copy;
            case IEnumerable items when depth > 0:
                return items.Cast<object?>().Take(1000).Select(i => Bounded(i, depth - 1)).ToArray();
            default:
                return baseValue.ToString();
        }
    }

    private static object? SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value;
        }
        catch (GetValueException ex)
        {
            return $"({ex.Message})";
        }
    }
}
