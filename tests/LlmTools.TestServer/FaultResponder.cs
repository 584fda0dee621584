using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>Carries out a <see cref="Fault"/>.</summary>
internal static class FaultResponder
{
    /// <summary>Returns true when the fault dealt with the request, false when normal handling should go on.</summary>
    public static async Task<bool> ApplyAsync(HttpContext context, Fault fault, CancellationToken shutdown)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown);
        try
        {
            var wait = fault.Kind == FaultKind.Hang ? Timeout.InfiniteTimeSpan : fault.Delay;
            if (wait != TimeSpan.Zero)
            {
                await Task.Delay(wait, waiting.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return true;
        }

        switch (fault.Kind)
        {
            case FaultKind.Slow:
                return false;
            case FaultKind.Error:
                if (fault.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = fault.RetryAfter;
                }

                if (fault.RetryAfterMs is not null)
                {
                    context.Response.Headers["retry-after-ms"] = fault.RetryAfterMs;
                }

                await OpenAIError.WriteAsync(context, fault.StatusCode,
                    fault.Message ?? $"Injected fault (HTTP {fault.StatusCode}).",
                    fault.ErrorType ?? (fault.StatusCode >= 500 ? "server_error" : "invalid_request_error"),
                    fault.ErrorCode);
                return true;
            case FaultKind.Raw:
                await WriteRawAsync(context, fault, waiting.Token);
                return true;
            default: // Drop, or Hang released by the server (never reached: cancellation aborts above)
                context.Abort();
                return true;
        }
    }

    private static async Task WriteRawAsync(HttpContext context, Fault fault, CancellationToken token)
    {
        var response = context.Response;
        response.StatusCode = fault.StatusCode;
        response.ContentType = fault.ContentType;
        foreach (var (name, value) in fault.Headers)
        {
            response.Headers[name] = value;
        }

        try
        {
            for (var i = 0; i < fault.Repeat; i++)
            {
                await response.WriteAsync(fault.Body, token);
            }

            await response.Body.FlushAsync(token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            context.Abort();
            return;
        }

        if (fault.CutAfterBody)
        {
            // why the pause: an abort right after the write resets the connection, and a reset can drop bytes the
            // client has not read yet; the client must see the text, then the cut
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            context.Abort();
        }
    }
}
