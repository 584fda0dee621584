namespace LlmTools.Engine.Models;

/// <summary>Structured output: a JSON object, or JSON that matches a schema.</summary>
/// <param name="SchemaJson">The JSON schema text; null asks for any JSON object.</param>
/// <param name="SchemaName">Name sent with the schema (letters, digits, _ and -).</param>
/// <param name="Strict">Ask the server to enforce the schema exactly (OpenAI strict mode).</param>
public sealed record ResponseFormat(string? SchemaJson, string SchemaName = "response", bool? Strict = null)
{
    public static readonly ResponseFormat JsonObject = new(SchemaJson: null);
}
