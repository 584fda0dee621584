namespace LlmTools.Engine.Models;

/// <summary>
/// One message of a chat: role (system, developer, user, assistant, tool), text and optional name; an assistant
/// message may ask for tool calls, a tool message answers one, a user message may carry images and files.
/// </summary>
/// <param name="Role">system, developer, user, assistant or tool.</param>
/// <param name="Content">The text.</param>
/// <param name="Name">An optional participant name.</param>
public sealed record ChatMessage(string Role, string Content, string? Name = null)
{
    /// <summary>The roles a message may have.</summary>
    public static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    /// <summary>The tool calls an assistant message asked for; null for none.</summary>
    public IReadOnlyList<ToolCall>? ToolCalls { get; init; }

    /// <summary>For a tool message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>Images and files a user message carries besides its text; null for none.</summary>
    public IReadOnlyList<Attachment>? Attachments { get; init; }

    /// <summary>A system message.</summary>
    public static ChatMessage System(string content) => new("system", content);

    /// <summary>A user message.</summary>
    public static ChatMessage User(string content) => new("user", content);

    /// <summary>An assistant message.</summary>
    public static ChatMessage Assistant(string content) => new("assistant", content);
}

/// <summary>
/// How the model samples its answer. One type from the cmdlet's parameters through settings (config.ini defaults
/// fill what a parameter leaves unset) to the SDK call. Null means "not given": the server's default applies.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>No option given.</summary>
    public static readonly SamplingOptions None = new();

    /// <summary>Longest answer in tokens (max_tokens, or max_completion_tokens for reasoning models).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>0 to 2; higher is more random.</summary>
    public float? Temperature { get; init; }

    /// <summary>Nucleus sampling, 0 to 1.</summary>
    public float? TopP { get; init; }

    /// <summary>-2 to 2; penalises repeated tokens by their frequency.</summary>
    public float? FrequencyPenalty { get; init; }

    /// <summary>-2 to 2; penalises tokens that appeared at all.</summary>
    public float? PresencePenalty { get; init; }

    /// <summary>Up to 4 sequences where the model stops.</summary>
    public IReadOnlyList<string>? Stop { get; init; }

    /// <summary>Best-effort deterministic sampling.</summary>
    public long? Seed { get; init; }

    /// <summary>How hard a reasoning model thinks: none, minimal, low, medium or high (reasoning_effort).</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary>How long a gpt-5 answer is: low, medium or high (verbosity).</summary>
    public string? Verbosity { get; init; }
}

/// <summary>
/// How a request is served, not what it answers, so none of it is in the cache key: the service tier (flex answers at
/// the batch price, more slowly; priority faster, at a higher price) and the provider's prompt-cache routing key.
/// </summary>
/// <param name="ServiceTier">auto, default, flex or priority; null lets the project's setting decide.</param>
/// <param name="PromptCacheKey">Requests with the same key share the provider's prompt cache (OpenAI prompt_cache_key).</param>
public sealed record Delivery(string? ServiceTier = null, string? PromptCacheKey = null)
{
    /// <summary>Nothing asked.</summary>
    public static readonly Delivery Default = new();
}

/// <summary>Structured output: a JSON object, or JSON that matches a schema.</summary>
/// <param name="SchemaJson">The JSON schema text; null asks for any JSON object.</param>
/// <param name="SchemaName">Name sent with the schema (letters, digits, _ and -).</param>
/// <param name="Strict">Ask the server to enforce the schema exactly (OpenAI strict mode).</param>
public sealed record ResponseFormat(string? SchemaJson, string SchemaName = "response", bool? Strict = null)
{
    /// <summary>Any JSON object (JSON mode).</summary>
    public static readonly ResponseFormat JsonObject = new(SchemaJson: null);
}

/// <summary>One chat completion request, provider-neutral. Everything here but <see cref="Delivery"/> decides the answer, so it is in the cache key.</summary>
public sealed record ChatRequest
{
    /// <summary>The conversation, oldest first.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Model name; for Azure the deployment name.</summary>
    public required string Model { get; init; }

    /// <summary>The API that carries it (Chat Completions unless asked), and the Responses API's server-side state.</summary>
    public ChatWire Wire { get; init; } = ChatWire.ChatCompletions;

    /// <summary>How to sample the answer.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.None;

    /// <summary>Structured output, or null for text.</summary>
    public ResponseFormat? ResponseFormat { get; init; }

    /// <summary>How the request is served (service tier, prompt-cache key); the one part that is not in the cache key.</summary>
    public Delivery Delivery { get; init; } = Delivery.Default;

    /// <summary>Functions the model may call; null for none.</summary>
    public IReadOnlyList<ToolDefinition>? Tools { get; init; }

    /// <summary>auto, none, required, or the name of the one tool the model must call; null lets the server decide.</summary>
    public string? ToolChoice { get; init; }
}
