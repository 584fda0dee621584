namespace LlmTools.Engine.Models;

/// <summary>A function the model may call: its name, what it does, and a JSON schema of its arguments.</summary>
/// <param name="Name">Letters, digits, _ and -, at most 64 characters.</param>
/// <param name="Description">What it does, for the model; null for none.</param>
/// <param name="ParametersSchema">The JSON schema (an object schema) of its arguments.</param>
/// <param name="Strict">Ask the server to make the arguments match the schema exactly (OpenAI strict mode); null lets the server decide.</param>
public sealed record ToolDefinition(string Name, string? Description, string ParametersSchema, bool? Strict = null);

/// <summary>One call the model asked for.</summary>
/// <param name="Id">The server's call id (call_...), which the tool's answer names.</param>
/// <param name="Name">The function to call.</param>
/// <param name="Arguments">Its arguments as the model wrote them: JSON text, not checked.</param>
public sealed record ToolCall(string Id, string Name, string Arguments);

/// <summary>How a tool call ended.</summary>
public enum ToolCallStatus
{
    /// <summary>It ran; the result is its output.</summary>
    Succeeded,

    /// <summary>It ran and failed (or its arguments were bad); the result is the error, which the model was told.</summary>
    Failed,

    /// <summary>The user declined (or no one could be asked); the model was told it did not run.</summary>
    Denied,

    /// <summary>It was not run: the loop stopped at -MaxToolCalls.</summary>
    NotRun,
}

/// <summary>What running one tool call gave, for the model and for the caller.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Result">The text sent back to the model as the tool's answer.</param>
public sealed record ToolCallResult(ToolCallStatus Status, string Result);

/// <summary>
/// Runs the model's tool calls for the engine. Why a seam: the engine runs the loop but never runs PowerShell; the
/// cmdlet supplies a runner that invokes the command on its pipeline thread, through ShouldProcess.
/// </summary>
public interface IToolRunner
{
    /// <summary>Runs one call; a failing tool (or one of an unknown name) is a <see cref="ToolCallStatus.Failed"/> result, not an exception (but Ctrl+C is).</summary>
    Task<ToolCallResult> RunAsync(ToolCall call, CancellationToken cancellationToken);
}

/// <summary>What the tool-call loop may do: who runs the calls, and how many in all.</summary>
/// <param name="Runner">Runs the calls.</param>
/// <param name="MaxToolCalls">The most tool calls one prompt may run; the loop stops and answers with the calls left unrun.</param>
public sealed record ToolLoopOptions(IToolRunner Runner, int MaxToolCalls);
