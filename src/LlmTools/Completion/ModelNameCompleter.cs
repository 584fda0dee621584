using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using LlmTools.Engine.Models;

namespace LlmTools.Completion;

/// <summary>
/// Tab completion of well-known model names, and of the names Get-LlmModel remembered in the cache folder: chat
/// models for Send-LlmMessage, embedding models for Get-LlmEmbedding, both where either fits (token counts, the
/// cache). Never touches the network (a completer must be instant); the remembered lists are small local files.
/// </summary>
public class ModelNameCompleter : IArgumentCompleter
{
    internal static readonly string[] ChatModels =
    [
        "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-5", "gpt-5-mini", "gpt-5-nano",
        "o1", "o3", "o3-mini", "o4-mini", "gpt-4", "gpt-4-turbo", "gpt-3.5-turbo",
    ];

    internal static readonly string[] EmbeddingModels = ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"];

    internal static readonly string[] KnownModels = [.. ChatModels, .. EmbeddingModels];

    /// <summary>The names this completer offers.</summary>
    protected virtual IEnumerable<string> Candidates => KnownModels;

    /// <summary>The kinds of remembered models this completer offers.</summary>
    protected virtual ModelKind[] Kinds => [ModelKind.Chat, ModelKind.Embedding];

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete(Candidates.Concat(RememberedModels.Names(Kinds).Order(StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase), wordToComplete);

    internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> candidates, string wordToComplete)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        return candidates
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !name.Any(char.IsControl))
            .Select(name => new CompletionResult(Quoted(name), name, CompletionResultType.ParameterValue, name));
    }

    // why quoted: remembered names come from whatever server was listed; "my model.gguf" or "x;Remove-Item ..." must
    // arrive as one argument, never as more command line
    private static string Quoted(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '/' or '-') && !name.StartsWith('-')
            ? name
            : "'" + CodeGeneration.EscapeSingleQuotedStringContent(name) + "'";
}

/// <summary>Chat model names only (Send-LlmMessage -Model).</summary>
public sealed class ChatModelCompleter : ModelNameCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> Candidates => ChatModels;

    /// <inheritdoc/>
    protected override ModelKind[] Kinds => [ModelKind.Chat];
}

/// <summary>Embedding model names only (Get-LlmEmbedding -Model).</summary>
public sealed class EmbeddingModelCompleter : ModelNameCompleter
{
    /// <inheritdoc/>
    protected override IEnumerable<string> Candidates => EmbeddingModels;

    /// <inheritdoc/>
    protected override ModelKind[] Kinds => [ModelKind.Embedding];
}
