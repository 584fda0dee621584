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
        var history = conversation?.Messages.Select(m => new ChatMessage(m.Role, m.Content, m.Name)).ToList() ?? [];
        history.AddRange(MessageConverter.ConvertAll(messages ?? []));
        return history;
    }

    /// <summary>The full message list: system prompt first (unless the history has one), history, then the prompt.</summary>
    public static List<ChatMessage> Compose(string? systemPrompt, List<ChatMessage> history, string? userPrompt)
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

            messages.Add(ChatMessage.User(userPrompt));
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
