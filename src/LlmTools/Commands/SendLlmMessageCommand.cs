using System.Management.Automation;
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
[Cmdlet(VerbsCommunications.Send, "LlmMessage", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Send-LlmMessage.md")]
[OutputType(typeof(LlmResponse))]
[OutputType(typeof(PSObject))]
[OutputType(typeof(LlmCostEstimate))]
public sealed partial class SendLlmMessageCommand : LlmProviderCmdletBase
{
    private const string PromptSet = "Prompt";
    private const string MessagesSet = "Messages";
    private const string TemplateSet = "Template";

    // why: after Ctrl+C, requests in flight get this long to wind down before the command returns
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

    // why 1 MB: past every chat model's context window but gpt-4.1's; such a prompt is more often a mistake than meant
    private const int LargePromptCharacters = 1_000_000;

    private ChatService _service = null!;
    private bool _promptOnCommandLine;
    private bool _warnedOfSize;
    private LlmSettings _settings = null!;
    private PromptTemplate? _template;
    private ResponseFormat? _responseFormat;
    private OrderedRunner<(object? Input, ChatRequest Request), ChatOutcome> _runner = null!;
    private readonly RunProgress _progress = new("Send-LlmMessage");
    private readonly WhatIfReport _whatIf = new();
    private bool _isWhatIf;
    private bool _asksToConfirm;
    private int _answered;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _settings = ResolveSettings(AsBatch ? BatchOverrides() : Overrides());
        _service = OpenChat(_settings);
        WarnIfRetiring(_settings.Model, _settings);
        _template = Template is null ? null : new PromptTemplate(Template);
        _responseFormat = ResponseFormatFromParameters();
        BeginTools();
        BeginWire();
        if (Stream && ThrottleLimit > 1)
        {
            WriteWarning("-Stream sends one request at a time; -ThrottleLimit is ignored.");
        }

        _runner = new(Stream ? 1 : ThrottleLimit, CancelToken);
        _promptOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Prompt));
        if (_promptOnCommandLine && Prompt is { Length: > 1 } prompts && MyInvocation.ExpectingInput is false)
        {
            _progress.KnowTotal(prompts.Length);
        }

        Log.Progress = _progress;
        _progress.Pacing = _service.Pacing;
        _isWhatIf = IsWhatIf;
        _asksToConfirm = AsksToConfirm;
        if (AsBatch)
        {
            BeginBatch();
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        // why one request per prompt: -Prompt 'a','b' asks two questions, as piping 'a','b' does
        var prompts = ParameterSetName == TemplateSet || Prompt is not { Length: > 0 } ? new string?[] { null } : Prompt;
        foreach (var prompt in prompts)
        {
            StopIfUnreachable(_answered, _runner);
            // why: the whole piped object (a CSV row whose Prompt column bound -Prompt, an LlmResponse) correlates best
            object? input = ParameterSetName == MessagesSet ? Messages : PipelineInput.Unwrap(InputObject) ?? prompt;
            ChatRequest request;
            PreparedChat prepared;
            try
            {
                request = BuildRequest(prompt);
                if (_isWhatIf)
                {
                    WriteEstimate(input, request);
                    continue;
                }

                if (_asksToConfirm && !ShouldProcess($"{request.Model}: {Preview(request)}", "Send"))
                {
                    continue;
                }

                if (_batch is not null)
                {
                    _batch.AddChat(input, request);
                    continue;
                }

                DebugRequest(request); // why before the hold: a debug line that stops the pipeline must not strand it
                prepared = Prepared(_service.PrepareAsync(request, CancelToken));
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (LlmException ex) when (EndsTheCommand(ex))
            {
                WriteFinished(all: true); // why: the items before it were let through; they are written first, in order
                StopAtBudget(ex, input, _service.Spending, _answered);
                return;
            }
            catch (LlmException ex)
            {
                WriteError(LlmErrors.From(ex, input));
                continue;
            }

            if (Stream)
            {
                WriteStreamed(input, prepared);
                continue;
            }

            _progress.Received();
            _runner.Submit((input, request), token => _service.CompleteAsync(prepared, token, _toolLoop));
            _progress.Write(this, _runner.PendingCount);
            WriteFinished(all: false);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        _whatIf.Write(this, _service.Spending);
        if (_batch is not null)
        {
            EndBatch();
            return;
        }

        _progress.InputEnded(this, _runner.PendingCount);
        WriteFinished(all: true);
        WaitPumping(_service.WhenCacheWritten()); // why: the next command, or another process, finds every answer cached
        _progress.Complete(this);
    }

    /// <summary>The readied request; when the wait ends in an error after it was readied (Ctrl+C while log lines are written), its hold is given back.</summary>
    private PreparedChat Prepared(Task<PreparedChat> preparing)
    {
        try
        {
            return WaitPumping(preparing);
        }
        catch when (preparing.IsCompletedSuccessfully)
        {
            preparing.Result.Charge?.Release();
            throw;
        }
    }

    private ChatRequest BuildRequest(string? prompt)
    {
        var piped = InputObject?.BaseObject as LlmResponse;
        if (piped is not null && !_promptOnCommandLine && ParameterSetName == PromptSet)
        {
            // why: PowerShell would otherwise bind the response's own text as the prompt and send it back
            throw new LlmException(LlmErrorId.InvalidInput, "A piped LlmResponse needs the next message: $response | Send-LlmMessage 'your next message'.");
        }

        var continued = Conversation ?? piped;
        var wire = WireFor(continued);
        // why no history with server state: the stored response holds it; sending it again would double it. Its
        // instructions are the exception (unless new ones are given): the API does not carry them over
        var history = ChatInput.History(Messages, wire.PreviousResponseId is null ? continued : null);
        if (continued is null && ParameterSetName == PromptSet && ChatInput.Restored(InputObject) is { } restored)
        {
            history.InsertRange(0, restored); // why: a saved conversation continues as a live one does
        }
        if (wire.PreviousResponseId is not null && continued is not null && string.IsNullOrWhiteSpace(SystemPrompt) && !history.Any(m => m.Role is "system" or "developer"))
        {
            history.InsertRange(0, continued.Messages.TakeWhile(m => m.Role is "system" or "developer").Select(MessageConverter.FromOutput));
        }
        var text = _template is null ? prompt : ChatInput.Render(_template, Variables, InputObject);
        var attachments = Attachments(ref text);
        var messages = ChatInput.Compose(SystemPrompt, history, text, attachments);
        var characters = messages.Sum(m => (long)m.Content.Length);
        if (characters > LargePromptCharacters && !_warnedOfSize)
        {
            _warnedOfSize = true;
            WriteWarning($"A request holds {characters / 1e6:0.0} million characters (roughly {characters / 4e3:0}k tokens); it is sent as it is. Measure-LlmTokens counts a text offline before you send it.");
        }

        return new ChatRequest
        {
            Messages = messages,
            Model = _settings.Model,
            Wire = wire,
            Sampling = _settings.Sampling,
            ResponseFormat = _responseFormat,
            Delivery = new Delivery(_settings.ServiceTier, PromptCacheKey),
            Tools = _tools?.Select(t => t.Definition).ToList(),
            ToolChoice = ToolChoice,
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
                var error = LlmException.From(failure);
                WriteError(LlmErrors.From(error, input));
                _progress.Finished(this, failed: true, _runner.PendingCount);
                NoteFailure(error);
                continue;
            }

            WriteResponse(input, request, task.Result, streamed: false);
            _progress.Finished(this, failed: false, _runner.PendingCount);
        }
    }
}
