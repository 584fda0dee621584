using System.Text;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Providers;

/// <summary>
/// Puts the tool calls of a streamed answer together: each arrives in pieces keyed by its index (id and name in the
/// first piece, the arguments' JSON text spread over the rest).
/// </summary>
internal sealed class StreamedToolCalls
{
    private readonly SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)> _calls = [];

    public void Add(int index, string? id, string? name, string? argumentsPiece)
    {
        if (!_calls.TryGetValue(index, out var call))
        {
            call = (null, null, new StringBuilder());
        }

        _calls[index] = (call.Id ?? NullIfEmpty(id), call.Name ?? NullIfEmpty(name), call.Arguments.Append(argumentsPiece));
    }

    /// <summary>The calls in index order; null when there were none.</summary>
    public IReadOnlyList<ToolCall>? Calls() => _calls.Count == 0
        ? null
        : _calls.Select(pair => new ToolCall(pair.Value.Id ?? $"call_{pair.Key}", pair.Value.Name ?? string.Empty, pair.Value.Arguments.Length == 0 ? "{}" : pair.Value.Arguments.ToString())).ToList();

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
