using System.Collections;
using System.Management.Automation;

namespace LlmTools.Session;

/// <summary>
/// A named field read one way from what users pass: a hashtable's key (any case) or any other object's property
/// (a PSCustomObject, a deserialized object). Used by -Messages and -Tool definitions, which take both.
/// </summary>
internal static class Fields
{
    /// <summary>The first of <paramref name="names"/> that <paramref name="container"/> holds, unwrapped from its PSObject; null when none.</summary>
    public static object? Of(object container, params string[] names)
    {
        var value = container is PSObject pso ? pso.BaseObject : container;
        foreach (var name in names)
        {
            var found = value is IDictionary map ? Lookup(map, name) : PSObject.AsPSObject(container).Properties[name]?.Value;
            if (found is not null)
            {
                // why a PSCustomObject stays wrapped: its base object is an empty placeholder, its properties are on the wrapper
                return found is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : found;
            }
        }

        return null;
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="map"/>, the key matched in any case; null when absent.</summary>
    public static object? Lookup(IDictionary map, string key) =>
        map.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k?.ToString(), key, StringComparison.OrdinalIgnoreCase)) is { } found ? map[found] : null;
}
