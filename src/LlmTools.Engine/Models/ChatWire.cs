namespace LlmTools.Engine.Models;

/// <summary>Which OpenAI API carries a chat request (config key API, Send-LlmMessage -Api).</summary>
public enum ChatApi
{
    /// <summary>POST /chat/completions: every provider and compatible server speaks it; the default.</summary>
    ChatCompletions,

    /// <summary>POST /responses: OpenAI and Azure's v1 endpoint.</summary>
    Responses,
}

/// <summary>
/// The wire of one chat request: its API and, for the Responses API, the server-side state. Why beside the request
/// and not in <see cref="SamplingOptions"/>: it says how the request travels, not how the model samples.
/// </summary>
/// <param name="Api">Chat Completions or Responses.</param>
/// <param name="Store">Ask the server to keep the response (Responses store=true), so a later request may continue from it; in the cache key when true.</param>
/// <param name="PreviousResponseId">Continue from this stored response (previous_response_id) instead of sending the history; in the cache key.</param>
public sealed record ChatWire(ChatApi Api, bool Store = false, string? PreviousResponseId = null)
{
    /// <summary>
    /// The tokens of the stored conversation that <see cref="PreviousResponseId"/> continues: the server reads (and
    /// bills) them with the new message, so holds, pacing, -WhatIf and the context-window check count them too. Not in
    /// the cache key; 0 when there is none or it is unknown.
    /// </summary>
    public int ContextTokens { get; init; }

    /// <summary>Chat Completions, the default.</summary>
    public static readonly ChatWire ChatCompletions = new(ChatApi.ChatCompletions);

    /// <summary>The Responses API, storing nothing, continuing by the message list.</summary>
    public static readonly ChatWire Responses = new(ChatApi.Responses);
}
