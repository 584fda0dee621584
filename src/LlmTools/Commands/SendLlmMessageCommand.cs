using System.Collections;
using System.Management.Automation;
using LlmTools.Completion;
using LlmTools.Engine.Chat;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Templates;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Sends a chat completion per pipeline item to OpenAI, Azure OpenAI or a compatible server.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "LlmMessage", DefaultParameterSetName = PromptSet, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Send-LlmMessage.md")]
[OutputType(typeof(LlmResponse))]
public sealed partial class SendLlmMessageCommand : LlmProviderCmdletBase
{
    private const string PromptSet = "Prompt";
    private const string MessagesSet = "Messages";
    private const string TemplateSet = "Template";

    // why: after Ctrl+C, requests in flight get this long to wind down before the command returns
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

    private ChatService _service = null!;
    private int _answered;
    private bool _promptOnCommandLine;
    private LlmSettings _settings = null!;
    private PromptTemplate? _template;
    private ResponseFormat? _responseFormat;
    private OrderedRunner<(object? Input, ChatRequest Request), ChatOutcome> _runner = null!;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _settings = ResolveSettings(Overrides());
        _service = OpenChat(_settings);
        _template = Template is null ? null : new PromptTemplate(Template);
        _responseFormat = ResponseFormatFromParameters();
        if (Stream && ThrottleLimit > 1)
        {
            WriteWarning("-Stream sends one request at a time; -ThrottleLimit is ignored.");
        }

        _runner = new(Stream ? 1 : ThrottleLimit, CancelToken);
        _promptOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Prompt));
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        // why: the whole piped object (a CSV row whose Prompt column bound -Prompt, an LlmResponse) correlates best
        object? input = ParameterSetName == MessagesSet ? Messages : PipelineInput.Unwrap(InputObject) ?? Prompt;
        ChatRequest request;
        try
        {
            request = BuildRequest();
        }
        catch (LlmException ex)
        {
            WriteError(LlmErrors.From(ex, input));
            return;
        }

        if (Stream)
        {
            WriteStreamed(input, request);
            return;
        }

        _runner.Submit((input, request), token => _service.CompleteAsync(request, token));
        WriteFinished(all: false);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        WriteFinished(all: true);
        WaitPumping(_service.WhenCacheWritten()); // why: the next command, or another process, finds every answer cached
        if (_answered > 0 && ThrottleLimit > 1)
        {
            WriteProgress(new ProgressRecord(1, "Send-LlmMessage", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private ChatRequest BuildRequest()
    {
        var piped = InputObject?.BaseObject as LlmResponse;
        if (piped is not null && !_promptOnCommandLine && ParameterSetName == PromptSet)
        {
            // why: PowerShell would otherwise bind the response's own text as the prompt and send it back
            throw new LlmException(LlmErrorId.InvalidInput, "A piped LlmResponse needs the next message: $response | Send-LlmMessage 'your next message'.");
        }

        var history = ChatInput.History(Messages, Conversation ?? piped);
        var prompt = _template is null ? Prompt : ChatInput.Render(_template, Variables, InputObject);
        return new ChatRequest
        {
            Messages = ChatInput.Compose(SystemPrompt, history, prompt),
            Model = _settings.Model,
            Sampling = _settings.Sampling,
            ResponseFormat = _responseFormat,
        };
    }

    private void WriteFinished(bool all)
    {
        foreach (var ((input, request), task) in _runner.Drain(all, WaitPumping))
        {
            Log.Flush(this); // why: a request that ended before we looked never went through WaitPumping
            if (task.IsCanceled || CancelToken.IsCancellationRequested)
            {
                _runner.WaitForAll(StopGracePeriod);
                throw new PipelineStoppedException();
            }

            // why no classifying here: the engine fails with LlmExceptions, classified and redacted where they happened
            if (task.Exception?.InnerException is { } failure)
            {
                WriteError(LlmErrors.From(LlmException.From(failure), input));
                continue;
            }

            WriteResponse(input, request, task.Result);
            _answered++;
            if (ThrottleLimit > 1)
            {
                WriteProgress(new ProgressRecord(1, "Send-LlmMessage", $"{_answered} answered, {_runner.PendingCount} in flight"));
            }
        }
    }

    private void WriteStreamed(object? input, ChatRequest request)
    {
        var updates = _service.StreamAsync(request, CancelToken).GetAsyncEnumerator(CancelToken);
        try
        {
            while (WaitPumping(updates.MoveNextAsync().AsTask()))
            {
                if (updates.Current.TextDelta is { } text)
                {
                    WriteInformation(new HostInformationMessage { Message = text, NoNewLine = true }, ["PSHOST"]);
                }
                else if (updates.Current.Completed is { } outcome)
                {
                    WriteInformation(new HostInformationMessage { Message = string.Empty }, ["PSHOST"]);
                    WriteResponse(input, request, outcome);
                }
            }
        }
        catch (LlmException ex)
        {
            WriteError(LlmErrors.From(ex, input));
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            WaitPumping(updates.DisposeAsync().AsTask());
        }
    }

    private void WriteResponse(object? input, ChatRequest request, ChatOutcome outcome)
    {
        var result = outcome.Result;
        WriteVerbose(outcome.Cached
            ? $"{result.Model}: answered from the cache."
            : $"{result.Model}: {result.Usage?.TotalTokens.ToString() ?? "?"} tokens in {outcome.Duration.TotalSeconds:0.00} s, finish reason {result.FinishReason ?? "none"}.");
        WriteObject(new LlmResponse
        {
            Content = result.Content,
            Data = ParseData(result.Content),
            Model = result.Model,
            Provider = _service.ProviderName,
            FinishReason = result.FinishReason,
            PromptTokens = result.Usage?.PromptTokens,
            CompletionTokens = result.Usage?.CompletionTokens,
            TotalTokens = result.Usage?.TotalTokens,
            Duration = outcome.Duration,
            Cached = outcome.Cached,
            Messages = request.Messages.Append(ChatMessage.Assistant(result.Content))
                .Select(m => new LlmMessage(m.Role, m.Content, m.Name)).ToList(),
            InputObject = input,
            Id = result.Id,
        });
    }
}
