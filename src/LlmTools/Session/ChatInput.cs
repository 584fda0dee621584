using System.Collections;
using System.Management.Automation;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Templates;
using LlmTools.Output;

namespace LlmTools.Session;

/// <summary>
/// Builds the messages of one Send-LlmMessage call from its inputs: history (-Messages or a piped
/// LlmResponse), -SystemPrompt, and the user's prompt (-Prompt, or -Template filled from -Variables or the
/// piped object's properties).
/// </summary>
internal static class ChatInput
{
    public static List<ChatMessage> History(object[]? messages, LlmResponse? conversation)
    {
        var history = conversation?.Messages.Select(MessageConverter.FromOutput).ToList() ?? [];
        history.AddRange(MessageConverter.ConvertAll(messages ?? []));
        return history;
    }

    /// <summary>
    /// The conversation of a response read back with Import-Clixml (a Deserialized.LlmTools.Output.LlmResponse, which
    /// binds as no LlmResponse); null when <paramref name="piped"/> is none.
    /// </summary>
    public static List<ChatMessage>? Restored(PSObject? piped) =>
        piped is not null && piped.TypeNames.Contains("Deserialized.LlmTools.Output.LlmResponse") && piped.Properties["Messages"]?.Value is { } messages
            ? MessageConverter.ConvertAll((messages is PSObject list ? list.BaseObject : messages) is IEnumerable items and not string ? items.Cast<object?>() : [messages])
            : null;

    /// <summary>
    /// The full message list: system prompt first (unless the history has one), history, then the prompt, which
    /// carries <paramref name="attachments"/> (images, PDFs).
    /// </summary>
    public static List<ChatMessage> Compose(string? systemPrompt, List<ChatMessage> history, string? userPrompt, IReadOnlyList<Attachment>? attachments = null)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(systemPrompt) && !history.Any(m => m.Role is "system" or "developer"))
        {
            messages.Add(ChatMessage.System(systemPrompt));
        }

        messages.AddRange(history);
        if (userPrompt is not null)
        {
            if (string.IsNullOrWhiteSpace(userPrompt))
            {
                throw new LlmException(LlmErrorId.InvalidInput, "The prompt is empty. Pass text with -Prompt or from the pipeline.");
            }

            messages.Add(ChatMessage.User(userPrompt) with { Attachments = attachments is { Count: > 0 } ? attachments : null });
        }
        else if (attachments is { Count: > 0 })
        {
            throw new LlmException(LlmErrorId.InvalidInput, "-Image and -File go with a prompt: give -Prompt too, saying what to do with them.");
        }

        if (messages.Count == 0)
        {
            throw new LlmException(LlmErrorId.InvalidInput, "Nothing to send: give -Prompt, -Messages or -Template.");
        }

        return messages;
    }

    /// <summary>Fills <paramref name="template"/> from <paramref name="variables"/>, then from <paramref name="inputObject"/>'s properties.</summary>
    public static string Render(PromptTemplate template, IDictionary? variables, PSObject? inputObject) => template.Render(name =>
    {
        if (variables is not null)
        {
            foreach (DictionaryEntry entry in variables)
            {
                if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return (true, Text(entry.Value));
                }
            }
        }

        if (inputObject?.Properties[name] is { } property)
        {
            return (true, Text(property.Value));
        }

        // why: '{{_}}' (or {{InputObject}}) stands for a piped string or number itself
        if (inputObject is not null && name is "_" or "InputObject")
        {
            return (true, Text(inputObject));
        }

        return (false, null);
    });

    private static string? Text(object? value) => LanguagePrimitives.ConvertTo<string>(value);
}

/// <summary>
/// Turns what users pass as -Messages (hashtables, objects with Role/Content, strings) into chat messages.
/// </summary>
internal static class MessageConverter
{
    /// <summary>Converts one item; a bad one throws <see cref="LlmException"/> (InvalidMessage), the same from every cmdlet.</summary>
    public static ChatMessage Convert(object? item)
    {
        var value = item is PSObject pso ? pso.BaseObject : item;
        return value switch
        {
            null => throw Invalid("A message is null."),
            string text => ChatMessage.User(text),
            ChatMessage message => message,
            LlmMessage output => FromOutput(output),
            _ => FromParts(item!),
        };
    }

    /// <summary>A message of an earlier LlmResponse, as it was sent (tool calls and attachments kept).</summary>
    public static ChatMessage FromOutput(LlmMessage message) => message.Source ?? new ChatMessage(message.Role, message.Content, message.Name)
    {
        ToolCalls = message.ToolCalls.Count == 0 ? null : message.ToolCalls.Select(c => new ToolCall(c.Id, c.Name, c.Arguments)).ToList(),
        ToolCallId = message.ToolCallId,
    };

    /// <summary>
    /// All of <paramref name="items"/>; a tool message must answer a call an earlier assistant message made (the API
    /// refuses an orphan, and a conversation restored without its calls would be one).
    /// </summary>
    public static List<ChatMessage> ConvertAll(IEnumerable<object?> items)
    {
        var messages = items.Select(Convert).ToList();
        var calls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            calls.UnionWith(message.ToolCalls?.Select(c => c.Id) ?? []);
            if (message.Role == "tool" && !calls.Contains(message.ToolCallId!))
            {
                throw Invalid($"The tool message for call '{message.ToolCallId}' answers no call of an earlier assistant message; give that message with its tool_calls (or ToolCalls) too.");
            }
        }

        return messages;
    }

    // why both spellings of each field: OpenAI's wire names (tool_calls, tool_call_id) in hand-written messages, and the
    // module's own (ToolCalls, ToolCallId) in $r.Messages after ConvertTo-Json or Export-Clixml and back
    private static ChatMessage FromParts(object item)
    {
        var calls = ToolCallsOf(Fields.Of(item, "tool_calls", "ToolCalls"));
        return FromParts(Fields.Of(item, "role"), Fields.Of(item, "content") ?? (calls is null ? null : string.Empty), Fields.Of(item, "name"), Fields.Of(item, "tool_call_id", "ToolCallId")) with { ToolCalls = calls };
    }

    /// <summary>Tool calls in OpenAI's shape ({id, function: {name, arguments}}) or the module's ({Id, Name, Arguments}); null for none.</summary>
    private static List<ToolCall>? ToolCallsOf(object? value)
    {
        var items = (value is PSObject pso ? pso.BaseObject : value) switch
        {
            null => [],
            string => throw Invalid("tool_calls must be a list of calls, each with an id, a name and its arguments."),
            IDictionary one => [one],
            IEnumerable many => many.Cast<object?>().ToList(),
            var one => new List<object?> { one },
        };
        var calls = items.OfType<object>().Select(call =>
        {
            var function = Fields.Of(call, "function");
            var id = LanguagePrimitives.ConvertTo<string>(Fields.Of(call, "id"));
            var name = LanguagePrimitives.ConvertTo<string>(function is null ? Fields.Of(call, "name") : Fields.Of(function, "name"));
            var arguments = function is null ? Fields.Of(call, "arguments") : Fields.Of(function, "arguments");
            return string.IsNullOrEmpty(id) || string.IsNullOrEmpty(name)
                ? throw Invalid("A tool call needs an id and a name: @{ id = 'call_1'; type = 'function'; function = @{ name = 'Get-Disk'; arguments = '{}' } }.")
                : new ToolCall(id, name, arguments is null ? "{}" : LanguagePrimitives.ConvertTo<string>(arguments) ?? "{}");
        }).ToList();
        return calls.Count == 0 ? null : calls;
    }

    private static ChatMessage FromParts(object? role, object? content, object? name, object? toolCallId)
    {
        var roleText = LanguagePrimitives.ConvertTo<string>(role)?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(roleText) || !ChatMessage.Roles.Contains(roleText))
        {
            throw Invalid(
                $"A message needs a role ({string.Join(", ", ChatMessage.Roles)}); got '{roleText}'. Example: @{{ role = 'user'; content = 'Hello' }}");
        }

        if (content is null)
        {
            throw Invalid($"The {roleText} message has no content.");
        }

        var callId = LanguagePrimitives.ConvertTo<string>(toolCallId);
        if (roleText == "tool" && string.IsNullOrEmpty(callId))
        {
            throw Invalid("A tool message needs the id of the call it answers: @{ role = 'tool'; tool_call_id = 'call_...'; content = '...' }.");
        }

        var nameText = LanguagePrimitives.ConvertTo<string>(name);
        return new ChatMessage(roleText, LanguagePrimitives.ConvertTo<string>(content) ?? string.Empty, string.IsNullOrEmpty(nameText) ? null : nameText)
        {
            ToolCallId = roleText == "tool" ? callId : null,
        };
    }

    private static LlmException Invalid(string message) => new(LlmErrorId.InvalidMessage, message);
}
