using System.ClientModel;
using System.ClientModel.Primitives;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;
using OpenAI;
using OpenAI.Chat;

namespace LlmTools.Engine.Batches;

/// <summary>
/// The JSON body the synchronous path would send for a chat request, for a batch line. Why capture the SDK's own
/// request and not write the JSON ourselves: the body must be exactly what CompleteChatAsync sends (the SDK's message
/// and response-format shapes, and every Patch of <see cref="SdkChatMapping"/>: max_completion_tokens, verbosity,
/// service_tier), and ChatCompletionOptions keeps messages and model internal, so serialising it alone would lose them.
/// The capture runs the real SDK call through a pipeline whose last policy keeps the body and throws before any
/// transport; nothing leaves the process, and a later SDK or mapping change reaches batch lines by itself.
/// </summary>
internal sealed class ChatBodyCapture
{
    private readonly OpenAIClient _client;
    private readonly Dictionary<string, ChatClient> _chats = new(StringComparer.Ordinal);

    public ChatBodyCapture()
    {
        // why a loopback address that is never contacted: the policy below ends every call before the transport
        var options = new OpenAIClientOptions { Endpoint = new Uri("http://127.0.0.1:9/v1"), RetryPolicy = new ClientRetryPolicy(0) };
        options.AddPolicy(new CapturePolicy(), PipelinePosition.BeforeTransport);
        _client = new OpenAIClient(new ApiKeyCredential("capture-only"), options);
    }

    /// <summary>The body of <paramref name="request"/> as the SDK writes it (not streamed). Not thread-safe.</summary>
    public byte[] Body(ChatRequest request)
    {
        if (!_chats.TryGetValue(request.Model, out var chat))
        {
            chat = _chats[request.Model] = _client.GetChatClient(request.Model);
        }

        try
        {
            chat.CompleteChat(SdkChatMapping.ToSdkMessages(request.Messages, request.Model), SdkChatMapping.ToSdkOptions(request));
        }
        catch (CapturedBody captured)
        {
            return captured.Body;
        }

        throw new InvalidOperationException("The SDK sent no request body to capture.");
    }

    private sealed class CapturedBody(byte[] body) : Exception("captured")
    {
        public byte[] Body { get; } = body;
    }

    private sealed class CapturePolicy : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            using var buffer = new MemoryStream();
            message.Request.Content?.WriteTo(buffer);
            throw new CapturedBody(buffer.ToArray());
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Process(message, pipeline, currentIndex);
            return ValueTask.CompletedTask;
        }
    }
}
