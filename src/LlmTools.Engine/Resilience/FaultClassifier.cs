using System.ClientModel;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using Polly.Timeout;

namespace LlmTools.Engine.Resilience;

/// <summary>
/// Decides which failures are worth another attempt and turns every failure into an <see cref="LlmException"/>
/// whose message says what happened and what to do. Retry: 408, 429 (not an exhausted quota), 5xx, network
/// failures and per-attempt timeouts. Never: 400, 401, 403, 404 or a quota-exhausted 429.
/// </summary>
public static class FaultClassifier
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        ClientResultException { Status: 0 } => true, // why: the SDK reports refused or dropped connections as status 0
        ClientResultException { Status: 429 } ex => !IsQuotaExhausted(ex),
        ClientResultException { Status: 408 or 409 or >= 500 } => true,
        ClientResultException => false,
        HttpRequestException or IOException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>
    /// <see cref="ToLlmException"/> for a call made with <paramref name="settings"/>, with the key redacted: what
    /// chat and embeddings both report.
    /// </summary>
    public static LlmException Describe(Exception exception, LlmSettings settings, string target) => SecretRedactor.Redact(
        ToLlmException(exception, settings.EndpointDisplay, target, settings.Timeout), settings.ApiKey);

    /// <summary>Describes <paramref name="exception"/> for the user; <paramref name="target"/> names the model or deployment.</summary>
    public static LlmException ToLlmException(Exception exception, string endpoint, string target, TimeSpan timeout) => exception switch
    {
        LlmException llm => llm,
        ClientResultException { Status: 0 } ex => new(LlmErrorId.EndpointUnreachable,
            $"Cannot reach {endpoint} ({(ex.InnerException ?? ex).Message.TrimEnd('.')}). Check the endpoint (-Endpoint, OPENAI_BASE_URL, AZURE_OPENAI_ENDPOINT) and your network.", null, ex),
        ClientResultException ex => FromResponse(ex, endpoint, target),
        TimeoutRejectedException ex => new(LlmErrorId.RequestTimedOut,
            $"No answer from {endpoint} within {timeout.TotalSeconds:0.###} s. Raise TIMEOUT in config.ini or pass -TimeoutSec.", null, ex),
        HttpRequestException or IOException => new(LlmErrorId.EndpointUnreachable,
            $"Cannot reach {endpoint} ({exception.Message.TrimEnd('.')}).", null, exception),
        _ when exception.GetType().FullName is "Azure.Identity.AuthenticationFailedException" or "Azure.Identity.CredentialUnavailableException"
            => new(LlmErrorId.AuthenticationFailed,
                $"Microsoft Entra ID sign-in failed: {exception.Message} Sign in (az login, Connect-AzAccount) or set AZURE_OPENAI_API_KEY.", null, exception),
        _ => new(LlmErrorId.RequestFailed, $"Request to {endpoint} failed: {exception.Message}", null, exception),
    };

    private static LlmException FromResponse(ClientResultException ex, string endpoint, string target)
    {
        var (serverMessage, code, _) = ServerResponse.Error(ex);
        var said = string.IsNullOrWhiteSpace(serverMessage) ? string.Empty : $" The server said: {serverMessage}";
        var status = ex.Status;
        var (id, text) = status switch
        {
            400 when code == "context_length_exceeded" => (LlmErrorId.ContextLengthExceeded, $"The prompt is too long for '{target}' (400).{said} Shorten it; Measure-LlmTokens counts it offline."),
            400 when code == "content_filter" => (LlmErrorId.ContentFiltered, $"The request was blocked by the content filter (400).{said}"),
            400 or 422 => (LlmErrorId.BadRequest, $"{endpoint} rejected the request ({status}).{said}"),
            401 => (LlmErrorId.AuthenticationFailed, $"{endpoint} rejected the credentials (401).{said} Check the key in OPENAI_API_KEY / AZURE_OPENAI_API_KEY or -ApiKey."),
            403 => (LlmErrorId.PermissionDenied, $"Access denied by {endpoint} (403).{said}"),
            404 => (LlmErrorId.ModelNotFound, $"'{target}' was not found at {endpoint} (404).{said} Check -Model (for Azure: the deployment name) and the endpoint."),
            408 => (LlmErrorId.RequestTimedOut, $"{endpoint} timed out (408).{said}"),
            429 when IsQuotaExhausted(ex) => (LlmErrorId.QuotaExceeded, $"The quota is exhausted (429, not retried).{said}"),
            429 => (LlmErrorId.RateLimited, $"Rate limited by {endpoint} (429).{said}"),
            >= 500 => (LlmErrorId.ServerError, $"{endpoint} failed ({status}).{said}"),
            _ => (LlmErrorId.RequestFailed, $"{endpoint} answered {status}.{said}"),
        };
        return new LlmException(id, text, status, ex) { RetryAfter = ServerResponse.RetryAfter(ex, DateTimeOffset.UtcNow) };
    }

    private static bool IsQuotaExhausted(ClientResultException ex)
    {
        var (_, code, type) = ServerResponse.Error(ex);
        return code == "insufficient_quota" || type == "insufficient_quota";
    }
}
