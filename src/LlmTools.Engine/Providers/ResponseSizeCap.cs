using System.Net;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Providers;

/// <summary>
/// The HTTP transport of every client: a connection pool (with -Proxy / PROXY, or the HTTPS_PROXY, HTTP_PROXY and
/// NO_PROXY environment as any .NET program) whose answers are cut off at <see cref="MaxBytes"/>. Why a cap: the SDK
/// reads a whole answer into memory, so a server that sends 300 MB took 3.1 GiB; no chat answer or embeddings batch
/// comes near 100 MiB (2,048 vectors of 3,072 floats are about 70 MB as JSON), so more is a broken or hostile server.
/// </summary>
internal static partial class ResponseSizeCap
{
    /// <summary>The most bytes one answer (a body, or a whole stream) may have.</summary>
    public const long MaxBytes = 100L * 1024 * 1024;

    /// <summary>
    /// The most bytes of a file's content (GET .../files/{id}/content: a batch's output or error file). Why its own,
    /// larger cap: 50,000 answers of a few KB pass 100 MiB, and such a file is written to disk as it arrives, never held
    /// in memory whole; 8 GiB is more than 50,000 answers of the longest completions write.
    /// </summary>
    public const long MaxFileBytes = 8L * 1024 * 1024 * 1024;

    /// <summary>An HttpClient over a new pool whose answers are capped; <paramref name="proxy"/> null uses the environment's.</summary>
    public static HttpClient Client(Uri? proxy)
    {
        // why no redirects: an API never redirects a POST on purpose, and where it points is reported instead (ProviderFailures)
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        if (proxy is not null)
        {
            var webProxy = new WebProxy(new UriBuilder(proxy) { UserName = string.Empty, Password = string.Empty }.Uri);
            if (proxy.UserInfo.Split(':', 2) is [{ Length: > 0 } user, var password])
            {
                webProxy.Credentials = new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
            }

            handler.Proxy = webProxy;
            handler.UseProxy = true;
        }

        return new HttpClient(new CapHandler(handler)) { Timeout = Timeout.InfiniteTimeSpan }; // why no timeout: the silence timer is ours
    }

    private static LlmException TooLarge(Uri? uri, long cap) => new(
        LlmErrorId.ResponseTooLarge,
        $"{uri?.GetLeftPart(UriPartial.Authority)} sent an answer larger than {cap / (1024 * 1024):N0} MiB; it was not read (no chat answer, embeddings batch or batch file is that large, so the server is sending something else). Check the endpoint.");

    private static bool IsFileContent(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get && request.RequestUri?.AbsolutePath is { } path && FileContentPath().IsMatch(path);

    [System.Text.RegularExpressions.GeneratedRegex("/files/[^/]+/content$")]
    private static partial System.Text.RegularExpressions.Regex FileContentPath();

    private sealed class CapHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var cap = IsFileContent(request) ? MaxFileBytes : MaxBytes;
            if (response.Content.Headers.ContentLength > cap)
            {
                response.Dispose();
                throw TooLarge(request.RequestUri, cap);
            }

            var original = response.Content;
            var events = original.Headers.ContentType?.MediaType == "text/event-stream" ? StreamErrorCapture.Active : null;
            var capped = new StreamContent(new CappedStream(await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), request.RequestUri, events, cap));
            foreach (var header in original.Headers)
            {
                capped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = capped;
            return response;
        }
    }

    /// <summary>
    /// A read-only stream that fails with ResponseTooLarge once more than <see cref="MaxBytes"/> were read; the bytes of
    /// an event stream also go to <paramref name="events"/>, which keeps the message of an error event.
    /// </summary>
    private sealed class CappedStream(Stream inner, Uri? uri, StreamErrorCapture.Box? events, long cap) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset), inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Count(buffer.Span, read);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(Span<byte> buffer, int read)
        {
            _read += read;
            events?.Feed(buffer[..read]);
            return _read > cap ? throw TooLarge(uri, cap) : read;
        }
    }
}
