using LlmTools.Engine.Configuration;

namespace LlmTools.Engine.Diagnostics;

/// <summary>Last line of defence: no key reaches a message, even if a server or SDK echoes it.</summary>
public static class SecretRedactor
{
    public static string Redact(string text, ApiSecret? secret)
    {
        var key = secret?.Reveal();
        return string.IsNullOrEmpty(key) ? text : text.Replace(key, "***", StringComparison.Ordinal);
    }

    /// <summary>A copy of <paramref name="exception"/> with the key removed from its message; the inner exception is dropped if it shows the key.</summary>
    public static LlmException Redact(LlmException exception, ApiSecret? secret)
    {
        var key = secret?.Reveal();
        if (string.IsNullOrEmpty(key))
        {
            return exception;
        }

        var inner = exception.InnerException?.ToString().Contains(key, StringComparison.Ordinal) == true ? null : exception.InnerException;
        if (inner == exception.InnerException && !exception.Message.Contains(key, StringComparison.Ordinal))
        {
            return exception;
        }

        return new LlmException(exception.ErrorId, Redact(exception.Message, secret), exception.Status, inner) { RetryAfter = exception.RetryAfter };
    }
}
