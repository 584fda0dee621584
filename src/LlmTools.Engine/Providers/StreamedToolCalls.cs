using System.Text;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Providers;

/// <summary>
/// Puts the tool calls of a streamed answer together: each arrives in pieces keyed by its index (id and name in the
/// first piece, the arguments' JSON text spread over the rest). Why a new call for a new id under the same index:
/// some compatible servers (Ollama) send every call whole with index 0.
/// </summary>
internal sealed class StreamedToolCalls
{
    private readonly List<(string? Id, string? Name, StringBuilder Arguments)> _calls = [];
    private readonly Dictionary<int, int> _slotOfIndex = [];

    public void Add(int index, string? id, string? name, string? argumentsPiece)
    {
        id = NullIfEmpty(id);
        if (!_slotOfIndex.TryGetValue(index, out var slot) || (id is not null && _calls[slot].Id is { } known && known != id))
        {
            slot = _slotOfIndex[index] = _calls.Count;
            _calls.Add((null, null, new StringBuilder()));
        }

        var call = _calls[slot];
        _calls[slot] = (call.Id ?? id, call.Name ?? NullIfEmpty(name), call.Arguments.Append(argumentsPiece));
    }

    /// <summary>The calls in the order they began; null when there were none.</summary>
    public IReadOnlyList<ToolCall>? Calls() => _calls.Count == 0
        ? null
        : _calls.Select((call, i) => new ToolCall(call.Id ?? $"call_{i}", call.Name ?? string.Empty, call.Arguments.Length == 0 ? "{}" : call.Arguments.ToString())).ToList();

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
