using System.Management.Automation;
using LlmTools.Completion;
using LlmTools.Engine.Attachments;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Errors;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>Send-LlmMessage's tools (commands the model may call) and attachments (images and files on a prompt).</summary>
public sealed partial class SendLlmMessageCommand
{
    private IReadOnlyList<PowerShellTool>? _tools;
    private ToolLoopOptions? _toolLoop;

    /// <summary>Commands the model may call: Get-Command output or names, script blocks with a param() block, or definitions (hashtables or JSON).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? Tool { get; set; }

    /// <summary>auto (the model decides), none, required (it must call one), or the name of the tool it must call.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ToolChoiceCompleter))]
    public string? ToolChoice { get; set; }

    /// <summary>The most tool calls one prompt may run (default 10); then the loop stops and the calls left are not run.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxToolCalls { get; set; } = 10;

    /// <summary>Run tools whose verb may change state (anything but Get, Test, Measure, Find, ...) without asking for each call.</summary>
    [Parameter]
    public SwitchParameter AllowStateChange { get; set; }

    /// <summary>Images for the prompt: file paths, http(s) or data: URLs, or bytes; with -Prompt, also bound from a piped object's Image property.</summary>
    /// <remarks>
    /// Why bound from piped objects only with -Prompt: a -Template run takes CSV rows, whose Image or File column is as
    /// likely a container image or a log path as something to send; a row that carries its Prompt says what it means.
    /// Empty cells are allowed: that row has no attachment.
    /// </remarks>
    [Parameter(ParameterSetName = PromptSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = MessagesSet)]
    [Parameter(ParameterSetName = TemplateSet)]
    [AllowNull]
    [AllowEmptyCollection]
    public object[]? Image { get; set; }

    /// <summary>How closely the model looks at the images: low (cheap, 512 px), high, or auto (the default).</summary>
    [Parameter]
    [ValidateSet("low", "high", "auto", IgnoreCase = true)]
    public string? ImageDetail { get; set; }

    /// <summary>PDF or text files for the prompt (a text file's content is added to the prompt's text); with -Prompt, also bound from a piped object's File property.</summary>
    [Parameter(ParameterSetName = PromptSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = MessagesSet)]
    [Parameter(ParameterSetName = TemplateSet)]
    [AllowNull]
    [AllowEmptyCollection]
    [AllowEmptyString]
    public string[]? File { get; set; }

    /// <summary>Reads -Tool once, at the start: a bad tool stops the command before anything is sent.</summary>
    private void BeginTools()
    {
        if (Tool is null)
        {
            return;
        }

        try
        {
            _tools = ToolCatalog.Build(Tool, this);
        }
        catch (LlmException ex)
        {
            ThrowTerminatingError(LlmErrors.From(ex, Tool));
        }

        if (ToolChoice is { } choice && choice is not ("auto" or "none" or "required") && !_tools!.Any(t => t.Definition.Name == choice))
        {
            ThrowTerminatingError(LlmErrors.InvalidInput(choice, $"-ToolChoice '{choice}' is not auto, none, required or one of the tools ({string.Join(", ", _tools!.Select(t => t.Definition.Name))})."));
        }

        _toolLoop = new ToolLoopOptions(new PowerShellToolRunner(this, Dispatcher, _tools!, AllowStateChange), MaxToolCalls);
        foreach (var tool in _tools!)
        {
            WriteVerbose($"Tool {tool.Definition.Name}: {(tool.ChangesState && !AllowStateChange ? "each call is confirmed (it may change state)" : "runs when the model calls it")}; strict schema {tool.Definition.Strict?.ToString() ?? "not asked"}.");
        }
    }

    /// <summary>This item's images and PDFs; a text file's content goes to <paramref name="text"/>.</summary>
    private List<Attachment> Attachments(ref string? text)
    {
        var attachments = new List<Attachment>();
        var detail = ImageDetail?.ToLowerInvariant();
        foreach (var image in ImageInputs.Items(Image))
        {
            attachments.Add(ImageInputs.Read(image, detail, SessionState));
        }

        foreach (var path in (File ?? []).Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            var file = AttachmentReader.File(LocalPath(path));
            if (file.Attachment is { } pdf)
            {
                attachments.Add(pdf);
            }
            else
            {
                text = string.IsNullOrEmpty(text) ? file.Text : text + "\n\n" + file.Text;
            }
        }

        return attachments;
    }

    // why the provider path: a relative path is relative to PowerShell's location, not the process's directory
    private string LocalPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
