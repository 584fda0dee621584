using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>Writes {"error":{"message","type","param","code"}} like the OpenAI service.</summary>
internal static class OpenAIError
{
    public static Task WriteAsync(HttpContext context, int status, string message, string? type, string? code)
    {
        var error = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = type,
                ["param"] = null,
                ["code"] = code,
            },
        };
        return JsonOut.WriteAsync(context, status, error);
    }
}
