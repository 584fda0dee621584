#pragma warning disable OPENAI001 // why: developer messages and seed are "evaluation" in the SDK, yet served by OpenAI
using LlmTools.Engine.Models;
using OpenAI.Chat;
using SdkMessage = OpenAI.Chat.ChatMessage;

namespace LlmTools.Engine.Providers;

/// <summary>Translates engine requests to the OpenAI SDK's types and its answers back.</summary>
internal static class SdkChatMapping
{
    // why UsesMaxCompletionTokens: reasoning models (o1, o3, o4, gpt-5) reject max_tokens and want max_completion_tokens;
    // older models, older Azure api-versions and most OpenAI-compatible servers know only max_tokens.

    // why: reasoning models take their instructions as developer messages; OpenAI maps system for them today, yet
    // compatible servers of those models and newer API versions do not
    public static List<SdkMessage> ToSdkMessages(IEnumerable<Models.ChatMessage> messages, string model) =>
        messages.Select(m => ToSdkMessage(UsesMaxCompletionTokens(model) && m.Role == "system" ? m with { Role = "developer" } : m)).ToList();

    public static ChatCompletionOptions ToSdkOptions(ChatRequest request)
    {
        var sampling = request.Sampling;
        var options = new ChatCompletionOptions
        {
            Temperature = sampling.Temperature,
            TopP = sampling.TopP,
            FrequencyPenalty = sampling.FrequencyPenalty,
            PresencePenalty = sampling.PresencePenalty,
            Seed = sampling.Seed,
        };
        foreach (var stop in sampling.Stop ?? [])
        {
            options.StopSequences.Add(stop);
        }

        if (sampling.MaxTokens is { } maxTokens)
        {
#pragma warning disable SCME0001 // why: the SDK's only way to send max_tokens instead of max_completion_tokens
            options.Patch.Set(
                UsesMaxCompletionTokens(request.Model) ? "$.max_completion_tokens"u8 : "$.max_tokens"u8,
                maxTokens);
#pragma warning restore SCME0001
        }

#pragma warning disable SCME0001 // why Patch: the SDK's own properties for these are missing (verbosity, prompt_cache_key) or experimental
        foreach (var (path, value) in new (string Path, string? Value)[]
        {
            ("$.reasoning_effort", sampling.ReasoningEffort),
            ("$.verbosity", sampling.Verbosity),
            ("$.service_tier", request.Delivery.ServiceTier),
            ("$.prompt_cache_key", request.Delivery.PromptCacheKey),
        })
        {
            if (value is not null)
            {
                options.Patch.Set(System.Text.Encoding.UTF8.GetBytes(path), value);
            }
        }
#pragma warning restore SCME0001

        foreach (var tool in request.Tools ?? [])
        {
            options.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.ParametersSchema), tool.Strict));
        }

        options.ToolChoice = request.ToolChoice switch
        {
            null => null,
            "auto" => ChatToolChoice.CreateAutoChoice(),
            "none" => ChatToolChoice.CreateNoneChoice(),
            "required" => ChatToolChoice.CreateRequiredChoice(),
            var name => ChatToolChoice.CreateFunctionChoice(name),
        };

        options.ResponseFormat = request.ResponseFormat switch
        {
            null => null,
            { SchemaJson: null } => ChatResponseFormat.CreateJsonObjectFormat(),
            var format => ChatResponseFormat.CreateJsonSchemaFormat(
                format.SchemaName, BinaryData.FromString(format.SchemaJson), jsonSchemaIsStrict: format.Strict),
        };
        return options;
    }

    public static bool UsesMaxCompletionTokens(string model) => ModelFamilies.IsReasoning(model);

    public static ChatResult ToResult(ChatCompletion completion, string requestedModel) => new()
    {
        Content = string.Concat(completion.Content.Select(part => part.Text)),
        Model = string.IsNullOrEmpty(completion.Model) ? requestedModel : completion.Model,
        FinishReason = FinishReasonText(completion.FinishReason),
        Usage = completion.Usage is { } usage ? ToUsage(usage) : null,
        Id = completion.Id,
        Refusal = completion.Refusal,
        ToolCalls = completion.ToolCalls is { Count: > 0 } calls
            ? calls.Select(call => new ToolCall(call.Id, call.FunctionName, call.FunctionArguments?.ToString() ?? "{}")).ToList()
            : null,
    };

    // why the sum when the total is missing: some compatible servers send prompt and completion tokens only, and a
    // total of 0 would spend nothing of a token budget
    public static TokenUsage ToUsage(ChatTokenUsage usage) => new(
        usage.InputTokenCount,
        usage.OutputTokenCount,
        Math.Max(usage.TotalTokenCount, usage.InputTokenCount + usage.OutputTokenCount),
        usage.InputTokenDetails?.CachedTokenCount,
        usage.OutputTokenDetails?.ReasoningTokenCount);

    public static string FinishReasonText(ChatFinishReason reason) => reason switch
    {
        ChatFinishReason.Stop => "stop",
        ChatFinishReason.Length => "length",
        ChatFinishReason.ContentFilter => "content_filter",
        ChatFinishReason.ToolCalls => "tool_calls",
        ChatFinishReason.FunctionCall => "function_call",
        _ => reason.ToString().ToLowerInvariant(),
    };

    private static SdkMessage ToSdkMessage(Models.ChatMessage message)
    {
        SdkMessage sdk = message.Role switch
        {
            "system" => new SystemChatMessage(message.Content),
            "developer" => new DeveloperChatMessage(message.Content),
            "assistant" => Assistant(message),
            "user" when message.Attachments is { Count: > 0 } attachments => new UserChatMessage(UserParts(message.Content, attachments)),
            "user" => new UserChatMessage(message.Content),
            "tool" => new ToolChatMessage(message.ToolCallId ?? string.Empty, message.Content),
            _ => throw new ArgumentException($"Role '{message.Role}' cannot be sent as a chat message; use system, developer, user, assistant or tool."),
        };
        if (message.Name is { } name)
        {
            switch (sdk)
            {
                case SystemChatMessage system: system.ParticipantName = name; break;
                case DeveloperChatMessage developer: developer.ParticipantName = name; break;
                case AssistantChatMessage assistant: assistant.ParticipantName = name; break;
                case UserChatMessage user: user.ParticipantName = name; break;
            }
        }

        return sdk;
    }

    private static AssistantChatMessage Assistant(Models.ChatMessage message)
    {
        if (message.ToolCalls is not { Count: > 0 } calls)
        {
            return new AssistantChatMessage(message.Content);
        }

        // why the text too: a model may say something before it calls; the next turn must see the turn as it was
        var assistant = new AssistantChatMessage(calls.Select(call =>
            ChatToolCall.CreateFunctionToolCall(call.Id, call.Name, BinaryData.FromString(call.Arguments))));
        if (message.Content.Length > 0)
        {
            assistant.Content.Add(ChatMessageContentPart.CreateTextPart(message.Content));
        }

        return assistant;
    }

    // why text first: the prompt says what to do with the images and files that follow it
    private static IEnumerable<ChatMessageContentPart> UserParts(string text, IReadOnlyList<Attachment> attachments)
    {
        if (text.Length > 0)
        {
            yield return ChatMessageContentPart.CreateTextPart(text);
        }

        foreach (var attachment in attachments)
        {
            var detail = attachment.Detail is { } level ? new ChatImageDetailLevel(level) : (ChatImageDetailLevel?)null;
            yield return attachment switch
            {
                { Kind: AttachmentKind.Image, Url: { } url } => ChatMessageContentPart.CreateImagePart(url, detail),
                { Kind: AttachmentKind.Image } => ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(attachment.Data!), attachment.MediaType, detail),
                _ => ChatMessageContentPart.CreateFilePart(BinaryData.FromBytes(attachment.Data!), attachment.MediaType, attachment.FileName ?? "file.pdf"),
            };
        }
    }
}
