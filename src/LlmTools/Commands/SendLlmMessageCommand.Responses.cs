using System.Management.Automation;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Output;

namespace LlmTools.Commands;

/// <summary>Send-LlmMessage's choice of API (-Api) and the Responses API's server-side state (-Store, -UseServerState, -PreviousResponseId).</summary>
public sealed partial class SendLlmMessageCommand
{
    /// <summary>ChatCompletions (default) or Responses: the API that carries the requests; default API from config.ini.</summary>
    [Parameter]
    [ValidateSet("ChatCompletions", "Responses", IgnoreCase = true)]
    public string? Api { get; set; }

    /// <summary>Responses API: ask the server to keep the response (store=true), so a later call may continue from it with -UseServerState.</summary>
    [Parameter]
    public SwitchParameter Store { get; set; }

    /// <summary>Responses API: continue the piped (or -Conversation) LlmResponse by its Id (previous_response_id) instead of sending its history again.</summary>
    [Parameter(ParameterSetName = PromptSet)]
    public SwitchParameter UseServerState { get; set; }

    /// <summary>Responses API: continue from this stored response (previous_response_id); the history it holds is not sent again.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PreviousResponseId { get; set; }

    private ChatApi? ApiChoice => Api is null ? null : Enum.Parse<ChatApi>(Api, ignoreCase: true);

    /// <summary>
    /// The wire of a request that continues <paramref name="conversation"/> (null: none). Why by the message list unless
    /// asked: it works on every server, with or without stored responses, and the cache key then holds the whole chat.
    /// </summary>
    private ChatWire WireFor(LlmResponse? conversation)
    {
        if (_settings.Api != ChatApi.Responses)
        {
            return ChatWire.ChatCompletions;
        }

        var previous = PreviousResponseId;
        if (UseServerState && previous is null)
        {
            previous = conversation switch
            {
                { Api: nameof(ChatApi.Responses), Stored: true, Id: { Length: > 0 } id } => id,
                { Api: nameof(ChatApi.Responses), Stored: false } => throw new LlmException(LlmErrorId.InvalidInput, "-UseServerState continues a stored response, and this one was not stored: send the first message with -Store too, or continue by the message list (leave out -UseServerState)."),
                _ => throw new LlmException(LlmErrorId.InvalidInput, "-UseServerState continues a response of the Responses API by its Id: pipe (or pass as -Conversation) an LlmResponse that Send-LlmMessage -Api Responses -Store wrote."),
            };
        }

        // why the continued response's tokens: the server reads the stored conversation with the new message, so
        // holds, pacing and -WhatIf count it; a bare -PreviousResponseId's size is unknown here
        var context = previous is not null && conversation is { Id: var continued } && continued == previous
            ? (conversation.PromptTokens ?? 0) + (conversation.CompletionTokens ?? 0)
            : 0;
        return new ChatWire(ChatApi.Responses, Store, previous) { ContextTokens = context };
    }

    /// <summary>-Store, -UseServerState and -PreviousResponseId without the Responses API stop the command once, before any item.</summary>
    private void BeginWire()
    {
        if (_settings.Api != ChatApi.Responses && (Store || UseServerState || PreviousResponseId is not null))
        {
            ThrowTerminatingError(Errors.LlmErrors.InvalidInput(null, "-Store, -UseServerState and -PreviousResponseId belong to the Responses API; add -Api Responses (or set API=Responses in config.ini)."));
        }
    }
}
