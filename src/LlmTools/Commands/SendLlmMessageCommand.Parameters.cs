using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using LlmTools.Completion;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Models;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>Parameters of Send-LlmMessage and their translation to settings and request options.</summary>
public sealed partial class SendLlmMessageCommand
{
    /// <summary>The user message; one request per string (piped or given as a list). With -Messages: a last user message after the history.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PromptSet)]
    [Parameter(Position = 0, ParameterSetName = MessagesSet)]
    [AllowEmptyString]
    public string[]? Prompt { get; set; }

    /// <summary>An earlier LlmResponse: its conversation continues with -Prompt. A piped LlmResponse does the same.</summary>
    /// <remarks>
    /// Why not ValueFromPipeline: PowerShell would then try (and fail, with exceptions) to convert every piped
    /// string to an LlmResponse; a piped response arrives as -InputObject and is recognised there.
    /// </remarks>
    [Parameter(ParameterSetName = PromptSet)]
    public LlmResponse? Conversation { get; set; }

    /// <summary>Chat history: hashtables or objects with role and content (and optional name).</summary>
    [Parameter(Mandatory = true, ParameterSetName = MessagesSet)]
    public object[]? Messages { get; set; }

    /// <summary>A prompt with {{Name}} placeholders, filled from -Variables or each piped object's properties.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TemplateSet)]
    public string? Template { get; set; }

    /// <summary>The piped object: its properties fill -Template; written back as LlmResponse.InputObject.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = TemplateSet)]
    [Parameter(ValueFromPipeline = true, ParameterSetName = PromptSet)]
    public PSObject? InputObject { get; set; }

    /// <summary>Values for -Template placeholders (checked before the piped object's properties).</summary>
    [Parameter(ParameterSetName = TemplateSet)]
    public IDictionary? Variables { get; set; }

    /// <summary>A system message put first (unless the history already has one).</summary>
    [Parameter]
    public string? SystemPrompt { get; set; }

    /// <summary>Model, or Azure deployment; default MODEL from config.ini.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChatModelCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    /// <summary>Longest answer in tokens; default MAX_TOKENS from config.ini.</summary>
    [Parameter]
    [ValidateRange(1, 10_000_000)]
    public int? MaxTokens { get; set; }

    /// <summary>0 to 2, higher is more random; default TEMPERATURE from config.ini.</summary>
    [Parameter]
    [ValidateRange(0.0, 2.0)]
    public float? Temperature { get; set; }

    /// <summary>Nucleus sampling, 0 to 1; default TOP_P from config.ini.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public float? TopP { get; set; }

    /// <summary>-2 to 2, penalises repeated tokens; default FREQ_PENALTY from config.ini.</summary>
    [Parameter]
    [ValidateRange(-2.0, 2.0)]
    public float? FrequencyPenalty { get; set; }

    /// <summary>-2 to 2, penalises tokens already used; default PRESENCE_PENALTY from config.ini.</summary>
    [Parameter]
    [ValidateRange(-2.0, 2.0)]
    public float? PresencePenalty { get; set; }

    /// <summary>Up to 4 sequences where the model stops.</summary>
    [Parameter]
    [ValidateCount(1, 4)]
    public string[]? Stop { get; set; }

    /// <summary>Best-effort deterministic sampling.</summary>
    [Parameter]
    public long? Seed { get; set; }

    /// <summary>A JSON schema (string or hashtable) the reply must match; the parsed reply is in Data.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? JsonSchema { get; set; }

    /// <summary>Ask for a JSON object reply (JSON mode); the parsed reply is in Data.</summary>
    [Parameter]
    public SwitchParameter Json { get; set; }

    /// <summary>Write the reply to the host as it arrives; still outputs one LlmResponse.</summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    /// <summary>Write each input row with the answer added as columns (Answer, and each field of a -JsonSchema / -Json answer) instead of LlmResponse objects.</summary>
    [Parameter]
    public SwitchParameter MergeInput { get; set; }

    /// <summary>How hard a reasoning model thinks (o-series: low, medium, high; gpt-5 adds minimal; gpt-5.1 none).</summary>
    [Parameter]
    [ValidateSet("none", "minimal", "low", "medium", "high", IgnoreCase = true)]
    public string? ReasoningEffort { get; set; }

    /// <summary>How long a gpt-5 answer is: low, medium or high.</summary>
    [Parameter]
    [ValidateSet("low", "medium", "high", IgnoreCase = true)]
    public string? Verbosity { get; set; }

    /// <summary>auto, default, flex (half price, slower; waits up to 15 minutes) or priority; default SERVICE_TIER.</summary>
    [Parameter]
    [ValidateSet("auto", "default", "flex", "priority", IgnoreCase = true)]
    public string? ServiceTier { get; set; }

    /// <summary>Requests with the same key share the provider's prompt cache (OpenAI prompt_cache_key), so cached input is billed lower.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PromptCacheKey { get; set; }

    /// <summary>Use the response cache for this call even when CACHE_API_CALLS is False.</summary>
    [Parameter]
    public SwitchParameter Cache { get; set; }

    private SettingsOverrides Overrides() => ProviderOverrides(cacheByDefault: Cache ? true : null) with
    {
        Model = Model,
        Sampling = new SamplingOptions
        {
            MaxTokens = MaxTokens,
            Temperature = Temperature,
            TopP = TopP,
            FrequencyPenalty = FrequencyPenalty,
            PresencePenalty = PresencePenalty,
            Stop = Stop,
            Seed = Seed,
            ReasoningEffort = ReasoningEffort?.ToLowerInvariant(),
            Verbosity = Verbosity?.ToLowerInvariant(),
        },
        ServiceTier = ServiceTier?.ToLowerInvariant(),
        Api = ApiChoice,
    };

    // why: -Debug shows what is sent without the text itself (it may be long or private) and never the key
    private void DebugRequest(ChatRequest request)
    {
        var sampling = string.Join(", ", new (string Name, object? Value)[]
            {
                ("max tokens", request.Sampling.MaxTokens), ("temperature", request.Sampling.Temperature), ("top_p", request.Sampling.TopP),
                ("frequency penalty", request.Sampling.FrequencyPenalty), ("presence penalty", request.Sampling.PresencePenalty), ("seed", request.Sampling.Seed),
            }.Where(p => p.Value is not null).Select(p => $"{p.Name} {p.Value}"));
        WriteDebug($"Request to {_service.ProviderName} model '{request.Model}': {request.Messages.Count} messages ({string.Join(", ", request.Messages.Select(m => $"{m.Role} {m.Content.Length} chars"))}); " +
            $"sampling: {(sampling.Length == 0 ? "server defaults" : sampling)}; response format: {(request.ResponseFormat is null ? "text" : request.ResponseFormat.SchemaJson is null ? "JSON object" : "JSON schema")}; " +
            $"tools: {(request.Tools is { Count: > 0 } tools ? string.Join(", ", tools.Select(t => t.Name)) + $" (choice {request.ToolChoice ?? "server default"})" : "none")}; " +
            $"attachments: {(request.Messages[^1].Attachments is { Count: > 0 } files ? string.Join(", ", files.Select(f => $"{f.MediaType} {(f.Data is { } data ? $"{data.Length:N0} bytes" : "by URL")}")) : "none")}.");
    }

    private ResponseFormat? ResponseFormatFromParameters()
    {
        if (JsonSchema is null)
        {
            return Json ? ResponseFormat.JsonObject : null;
        }

        string schema;
        try
        {
            schema = JsonConversion.ToJson(JsonSchema);
        }
        catch (JsonException ex)
        {
            ThrowTerminatingError(Errors.LlmErrors.InvalidInput(JsonSchema, $"-JsonSchema cannot be sent as JSON: {ex.Message}"));
            throw; // unreachable
        }

        // why: accept OpenAI's wrapper { name, schema, strict } as well as a bare schema
        using var document = JsonDocument.Parse(schema);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("schema", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "response";
            bool? strict = root.TryGetProperty("strict", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null;
            return new ResponseFormat(inner.GetRawText(), name, strict);
        }

        return new ResponseFormat(schema);
    }

    private object? ParseData(string content)
    {
        if (_responseFormat is null)
        {
            return null;
        }

        try
        {
            return JsonConversion.ToPowerShell(content);
        }
        catch (JsonException ex)
        {
            WriteWarning($"The reply is not valid JSON ({ex.Message}); Data is empty, Content has the text.");
            return null;
        }
    }
}
