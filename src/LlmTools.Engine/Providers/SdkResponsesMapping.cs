#pragma warning disable OPENAI001 // why: the SDK marks the whole Responses API "evaluation", yet OpenAI and Azure's v1 serve it
using LlmTools.Engine.Models;
using OpenAI.Responses;

namespace LlmTools.Engine.Providers;

/// <summary>
/// Translates engine requests to the Responses API (POST /responses) and its answers back into the same
/// <see cref="ChatResult"/> the Chat Completions wire gives, so the cache, retries, pacing and spend above the seam
/// do not know which wire answered. Checked against OpenAI's API reference, "Create a model response": input items,
/// instructions, max_output_tokens, temperature, top_p, reasoning.effort, text.format, text.verbosity,
/// service_tier, prompt_cache_key, store, previous_response_id; usage input_tokens, output_tokens,
/// input_tokens_details.cached_tokens, output_tokens_details.reasoning_tokens; status and incomplete_details.reason.
/// </summary>
internal static class SdkResponsesMapping
{
    /// <summary>The options of one request, not streamed (the streaming call sets stream).</summary>
    public static CreateResponseOptions ToOptions(ChatRequest request)
    {
        var (instructions, items) = ToInput(request.Messages, request.Model);
        var options = new CreateResponseOptions(request.Model, items)
        {
            Instructions = instructions,
            MaxOutputTokenCount = request.Sampling.MaxTokens,
            Temperature = request.Sampling.Temperature,
            TopP = request.Sampling.TopP,
            ServiceTier = request.Delivery.ServiceTier is { } tier ? new ResponseServiceTier(tier) : (ResponseServiceTier?)null,
            PromptCacheKey = request.Delivery.PromptCacheKey,
            // why always said: the API stores responses unless told not to, and a script's prompts should not linger
            StoredOutputEnabled = request.Wire.Store,
            PreviousResponseId = request.Wire.PreviousResponseId,
        };
        foreach (var tool in request.Tools ?? [])
        {
            options.Tools.Add(ResponseTool.CreateFunctionTool(tool.Name, BinaryData.FromString(tool.ParametersSchema), tool.Strict, tool.Description));
        }

        options.ToolChoice = request.ToolChoice switch
        {
            null => null,
            "auto" => ResponseToolChoice.CreateAutoChoice(),
            "none" => ResponseToolChoice.CreateNoneChoice(),
            "required" => ResponseToolChoice.CreateRequiredChoice(),
            var name => ResponseToolChoice.CreateFunctionChoice(name),
        };

        if (request.Sampling.ReasoningEffort is { } effort)
        {
            options.ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = new ResponseReasoningEffortLevel(effort) };
        }

        if (request.ResponseFormat is not null || request.Sampling.Verbosity is not null)
        {
            options.TextOptions = new ResponseTextOptions { TextFormat = ToFormat(request.ResponseFormat) };
            if (request.Sampling.Verbosity is { } verbosity)
            {
#pragma warning disable SCME0001 // why Patch: the SDK has no property for text.verbosity
                options.TextOptions.Patch.Set("$.verbosity"u8, verbosity);
#pragma warning restore SCME0001
            }
        }

        return options;
    }

    /// <summary>
    /// The messages as instructions and input items: the leading system (or developer) messages become the
    /// instructions, as the API has them; the rest are message items by role (a later system message goes as
    /// developer for reasoning models, as on the Chat Completions wire). Participant names have no place in this API.
    /// </summary>
    /// <remarks>
    /// A user message with attachments is one item of input_text, input_image and input_file parts; an assistant turn
    /// that called tools is its text (if any) and one function_call item per call; a tool message is a
    /// function_call_output item.
    /// </remarks>
    public static (string? Instructions, List<ResponseItem> Items) ToInput(IReadOnlyList<ChatMessage> messages, string model)
    {
        var leading = messages.TakeWhile(m => m.Role is "system" or "developer").ToList();
        var instructions = leading.Count == 0 ? null : string.Join("\n\n", leading.Select(m => m.Content));
        var items = messages.Skip(leading.Count).SelectMany(m => ToItems(m, model)).ToList();
        return (instructions, items);
    }

    private static IEnumerable<ResponseItem> ToItems(ChatMessage message, string model)
    {
        if (message.Role == "assistant" && message.ToolCalls is { Count: > 0 } calls)
        {
            if (message.Content.Length > 0)
            {
                yield return ResponseItem.CreateAssistantMessageItem(message.Content, []);
            }

            foreach (var call in calls)
            {
                yield return ResponseItem.CreateFunctionCallItem(call.Id, call.Name, BinaryData.FromString(call.Arguments));
            }

            yield break;
        }

        yield return message.Role switch
        {
            "tool" => ResponseItem.CreateFunctionCallOutputItem(message.ToolCallId ?? string.Empty, message.Content),
            "user" when message.Attachments is { Count: > 0 } attachments => ResponseItem.CreateUserMessageItem(UserParts(message.Content, attachments).ToList()),
            _ => ToItem(message, model),
        };
    }

    // why the bytes carry their media type: the SDK writes an inline image as a data: URL of BinaryData's media type
    private static IEnumerable<ResponseContentPart> UserParts(string text, IReadOnlyList<Attachment> attachments)
    {
        if (text.Length > 0)
        {
            yield return ResponseContentPart.CreateInputTextPart(text);
        }

        foreach (var attachment in attachments)
        {
            var detail = attachment.Detail is { } level ? new ResponseImageDetailLevel(level) : (ResponseImageDetailLevel?)null;
            yield return attachment switch
            {
                { Kind: AttachmentKind.Image, Url: { } url } => ResponseContentPart.CreateInputImagePart(url, detail),
                { Kind: AttachmentKind.Image } => ResponseContentPart.CreateInputImagePart(new BinaryData(attachment.Data!, attachment.MediaType), detail),
                _ => ResponseContentPart.CreateInputFilePart(BinaryData.FromBytes(attachment.Data!), attachment.MediaType, attachment.FileName ?? "file.pdf"),
            };
        }
    }

    private static ResponseItem ToItem(ChatMessage message, string model) => message.Role switch
    {
        "user" => ResponseItem.CreateUserMessageItem(message.Content),
        "assistant" => ResponseItem.CreateAssistantMessageItem(message.Content, []),
        "developer" => ResponseItem.CreateDeveloperMessageItem(message.Content),
        "system" when SdkChatMapping.UsesMaxCompletionTokens(model) => ResponseItem.CreateDeveloperMessageItem(message.Content),
        "system" => ResponseItem.CreateSystemMessageItem(message.Content),
        _ => throw new ArgumentException($"Role '{message.Role}' cannot be sent as a message; use system, developer, user or assistant."),
    };

    private static ResponseTextFormat ToFormat(ResponseFormat? format) => format switch
    {
        null => ResponseTextFormat.CreateTextFormat(),
        { SchemaJson: null } => ResponseTextFormat.CreateJsonObjectFormat(),
        _ => ResponseTextFormat.CreateJsonSchemaFormat(format.SchemaName, BinaryData.FromString(format.SchemaJson), null, format.Strict),
    };

    /// <summary>The answer as a chat result; the finish reason says how it ended (see <see cref="FinishReason"/>).</summary>
    public static ChatResult ToResult(ResponseResult response, string requestedModel) => new()
    {
        Content = response.GetOutputText() ?? string.Empty,
        Model = string.IsNullOrEmpty(response.Model) ? requestedModel : response.Model,
        FinishReason = response.OutputItems.OfType<FunctionCallResponseItem>().Any() && response.Status == ResponseStatus.Completed ? "tool_calls" : FinishReason(response),
        Usage = response.Usage is { } usage ? ToUsage(usage) : null,
        Id = response.Id,
        Refusal = Refusal(response),
        ToolCalls = response.OutputItems.OfType<FunctionCallResponseItem>().Select(call => new ToolCall(call.CallId, call.FunctionName, call.FunctionArguments?.ToString() ?? "{}")).ToList() is { Count: > 0 } calls
            ? calls
            : null,
    };

    /// <summary>completed: stop; incomplete for max_output_tokens: length; for content_filter: content_filter; else the status as the API names it.</summary>
    public static string? FinishReason(ResponseResult response) => response.Status switch
    {
        ResponseStatus.Completed => "stop",
        ResponseStatus.Incomplete when response.IncompleteStatusDetails?.Reason == ResponseIncompleteStatusReason.MaxOutputTokens => "length",
        ResponseStatus.Incomplete when response.IncompleteStatusDetails?.Reason == ResponseIncompleteStatusReason.ContentFilter => "content_filter",
        ResponseStatus.Incomplete => "incomplete",
        null => null,
        var status => status.ToString()!.ToLowerInvariant(),
    };

    // why the sum when the total is missing: as on the Chat Completions wire, a total of 0 would spend nothing of a budget
    private static TokenUsage ToUsage(ResponseTokenUsage usage) => new(
        usage.InputTokenCount,
        usage.OutputTokenCount,
        Math.Max(usage.TotalTokenCount, usage.InputTokenCount + usage.OutputTokenCount),
        usage.InputTokenDetails?.CachedTokenCount,
        usage.OutputTokenDetails?.ReasoningTokenCount);

    private static string? Refusal(ResponseResult response) =>
        response.OutputItems.OfType<MessageResponseItem>().SelectMany(m => m.Content).FirstOrDefault(p => !string.IsNullOrEmpty(p.Refusal))?.Refusal;
}
