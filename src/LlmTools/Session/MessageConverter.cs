using System.Collections;
using System.Management.Automation;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;

namespace LlmTools.Session;

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
            IDictionary dictionary => FromParts(Lookup(dictionary, "role"), Lookup(dictionary, "content"), Lookup(dictionary, "name")),
            _ => FromParts(Property(item!, "Role"), Property(item!, "Content"), Property(item!, "Name")),
        };
    }

    public static List<ChatMessage> ConvertAll(IEnumerable<object?> items) => items.Select(Convert).ToList();

    private static ChatMessage FromParts(object? role, object? content, object? name)
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

        var nameText = LanguagePrimitives.ConvertTo<string>(name);
        return new ChatMessage(roleText, LanguagePrimitives.ConvertTo<string>(content) ?? string.Empty, string.IsNullOrEmpty(nameText) ? null : nameText);
    }

    private static object? Lookup(IDictionary dictionary, string key)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            if (string.Equals(entry.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }

    private static object? Property(object item, string name) => PSObject.AsPSObject(item).Properties[name]?.Value;

    private static LlmException Invalid(string message) => new(LlmErrorId.InvalidMessage, message);
}
