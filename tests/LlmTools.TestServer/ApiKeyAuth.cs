using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>API key checks with the OpenAI service's messages.</summary>
internal static class ApiKeyAuth
{
    public readonly record struct AuthError(string Message, string? Code);

    /// <summary>Null when the request may proceed.</summary>
    public static AuthError? Check(HttpRequest request, ApiFlavor flavor, string? requiredKey)
    {
        if (requiredKey is null)
        {
            return null;
        }

        var presented = flavor == ApiFlavor.OpenAI ? null : NonEmpty(request.Headers["api-key"].ToString());
        presented ??= Bearer(request.Headers.Authorization.ToString());
        if (presented is null)
        {
            return new AuthError(
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                null);
        }

        return string.Equals(presented, requiredKey, StringComparison.Ordinal)
            ? null
            : new AuthError($"Incorrect API key provided: {Mask(presented)}.", "invalid_api_key");
    }

    /// <summary>Like the real service: first 3 and last 4 characters, stars between.</summary>
    public static string Mask(string key) =>
        key.Length <= 8 ? new string('*', key.Length) : key[..3] + new string('*', key.Length - 7) + key[^4..];

    private static string? Bearer(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? NonEmpty(authorization["Bearer ".Length..].Trim())
            : null;

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
}
