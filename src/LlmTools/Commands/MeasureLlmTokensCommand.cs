using System.Management.Automation;
using LlmTools.Completion;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Tokenization;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Counts tokens offline, exactly as tiktoken does, for texts, files or a whole chat.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "LlmTokens", DefaultParameterSetName = TextSet, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Measure-LlmTokens.md")]
[OutputType(typeof(LlmTokenCount))]
public sealed partial class MeasureLlmTokensCommand : LlmCmdletBase
{
    private const string TextSet = "Text";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string MessagesSet = "Messages";

    private TokenCounter _counter = null!;
    private string? _model;

    /// <summary>Texts to count, one result each.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string[] Text { get; set; } = [];

    /// <summary>Files to count; wildcards allowed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    /// <summary>Files to count, taken exactly as written (Get-ChildItem output binds here by PSPath).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP", "FullName")]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>A chat (hashtables or objects with role and content); counted as the prompt tokens it costs.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MessagesSet)]
    public object[] Messages { get; set; } = [];

    /// <summary>Model whose encoding to use; default MODEL from config.ini.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    /// <summary>A tiktoken encoding to use directly instead of a model's.</summary>
    [Parameter]
    [ValidateSet(ModelEncodings.O200kBase, ModelEncodings.Cl100kBase, ModelEncodings.R50kBase, IgnoreCase = true)]
    public string? Encoding { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        if (Encoding is not null && ParameterSetName != ImageSet)
        {
            _counter = new TokenCounter(Encoding);
            _model = Model;
            return;
        }

        // why: only read config when it decides something, so a broken config.ini never blocks -Model counts
        _model = Model ?? ResolveOfflineSettings().Model;
        (_counter, var isFallback) = TokenCounter.ForModel(_model);
        if (isFallback)
        {
            WriteWarning($"Unknown model '{_model}': counting with {_counter.Encoding}. Pass -Encoding to choose another.");
        }

        WriteVerbose($"Counting tokens with {_counter.Encoding} for model '{_model}'.");
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case TextSet:
                foreach (var text in Text)
                {
                    WriteObject(Result(_counter.Count(text ?? string.Empty), text?.Length ?? 0, text: text ?? string.Empty));
                }

                break;
            case PathSet:
                foreach (var path in Path)
                {
                    foreach (var file in ResolvePath(path, literal: false))
                    {
                        CountFile(file);
                    }
                }

                break;
            case LiteralPathSet:
                foreach (var path in LiteralPath)
                {
                    foreach (var file in ResolvePath(path, literal: true))
                    {
                        CountFile(file);
                    }
                }

                break;
            case MessagesSet:
                CountMessages();
                break;
            case ImageSet:
                CountImages();
                break;
        }
    }

    /// <summary>The largest file counted whole.</summary>
    internal const long MaxFileBytes = 256L * 1024 * 1024;

    private void CountFile(string file)
    {
        CancelToken.ThrowIfCancellationRequested();
        string text;
        try
        {
            // why a cap: a count needs the whole text in memory (twice: bytes and string), and a 1 GiB file would end
            // the whole pipeline with OutOfMemoryException; this way only that item fails, and says how to go on
            var length = new FileInfo(file).Length;
            if (length > MaxFileBytes)
            {
                throw new IOException($"It has {length} bytes; Measure-LlmTokens counts files of up to {MaxFileBytes / (1024 * 1024)} MiB. Count it in parts: Get-Content -ReadCount 10000 '{file}' | ForEach-Object {{ $_ -join \"`n\" }} | Measure-LlmTokens.");
            }

            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            WriteError(LlmErrors.FileReadFailed(file, ex));
            return;
        }

        // why: a NUL or many undecodable bytes mean a binary file (an image, a zip) given by mistake; its count means nothing
        if (text.Contains('\0') || text.AsSpan().Count('\uFFFD') > 1 + (text.Length / 100))
        {
            WriteWarning($"'{file}' looks like a binary file, not text; its count is of its bytes read as UTF-8 and says little about any prompt.");
        }

        WriteObject(Result(_counter.Count(text), text.Length, path: file));
    }

    private void CountMessages()
    {
        try
        {
            var messages = MessageConverter.ConvertAll(Messages);
            var characters = messages.Sum(m => (long)m.Content.Length);
            WriteObject(Result(_counter.CountChat(messages), characters, messageCount: messages.Count));
        }
        catch (LlmException ex)
        {
            WriteError(LlmErrors.From(ex, Messages));
        }
    }

    private IEnumerable<string> ResolvePath(string path, bool literal)
    {
        List<string> files = [];
        try
        {
            if (literal)
            {
                files.Add(GetUnresolvedProviderPathFromPSPath(path));
            }
            else
            {
                files.AddRange(GetResolvedProviderPathFromPSPath(path, out var provider).Where(_ => provider.Name == "FileSystem"));
            }
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
        {
            WriteError(LlmErrors.PathNotFound(path));
            return [];
        }

        var missing = files.Where(file => !File.Exists(file)).ToList();
        foreach (var file in missing)
        {
            WriteError(Directory.Exists(file) ? LlmErrors.FileReadFailed(file, new IOException("It is a directory; pass files (Get-ChildItem -File).")) : LlmErrors.PathNotFound(file));
        }

        return files.Except(missing);
    }

    private LlmTokenCount Result(int tokens, long characters, string? text = null, string? path = null, int? messageCount = null) => new()
    {
        Tokens = tokens,
        Characters = characters,
        Model = _model,
        Encoding = _counter.Encoding,
        Text = text,
        Path = path,
        MessageCount = messageCount,
    };
}
