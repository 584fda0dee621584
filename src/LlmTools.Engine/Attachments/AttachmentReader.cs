using System.Text;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Attachments;

/// <summary>
/// Turns what a user attaches (an image path, URL or bytes; a PDF or text file) into what a prompt carries, checking
/// type and size first so nothing is sent that the API would refuse. Types are read from the bytes, not the name.
/// Limits are OpenAI's published ones (images and vision guide, PDF files guide; not checked live here).
/// </summary>
public static class AttachmentReader
{
    /// <summary>Largest image the API takes: 20 MB.</summary>
    public const long MaxImageBytes = 20L * 1024 * 1024;

    /// <summary>Largest PDF: 32 MB (the API's limit for all PDFs of a request).</summary>
    public const long MaxPdfBytes = 32L * 1024 * 1024;

    /// <summary>Largest text file read into a prompt: 10 MB, far past any context window; a bigger one is a mistake.</summary>
    public const long MaxTextBytes = 10L * 1024 * 1024;

    /// <summary>An image by URL: http(s) for the provider to fetch, or a data: URL with the bytes.</summary>
    public static Attachment ImageUrl(Uri url, string? detail)
    {
        if (url.Scheme == "data")
        {
            var text = url.OriginalString;
            var comma = text.IndexOf(',');
            if (comma < 0 || !text[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid($"The image data URL is not base64 ('data:image/png;base64,...').");
            }

            return Image(Base64(text[(comma + 1)..]), "the data URL", detail);
        }

        return url.Scheme is "http" or "https"
            ? new Attachment(AttachmentKind.Image, "image/*", Url: url, Detail: detail)
            : throw Invalid($"The image URL '{url}' is not http, https or data; give a file path for a local image.");
    }

    /// <summary>An image from its bytes; <paramref name="source"/> names it in errors.</summary>
    public static Attachment Image(byte[] data, string source, string? detail)
    {
        if (data.Length > MaxImageBytes)
        {
            throw Invalid($"The image {source} has {data.Length / 1048576.0:0.0} MB; the API takes images of at most {MaxImageBytes / 1048576} MB. Scale it down first.");
        }

        var (mediaType, size) = ImageHeader.Read(data)
            ?? throw Invalid($"{Capital(source)} is not a PNG, JPEG, WebP or GIF image, the types the API reads.");
        return new Attachment(AttachmentKind.Image, mediaType, Data: data, FileName: FileName(source), Detail: detail, Width: size?.Width, Height: size?.Height);
    }

    /// <summary>An image file.</summary>
    public static Attachment ImageFile(string path, string? detail) => Image(ReadAll(path, MaxImageBytes, "image"), $"'{path}'", detail);

    /// <summary>
    /// A file for the prompt: a PDF is an attachment; a text file (UTF-8, no NUL bytes) is its text, as
    /// <see cref="FileContent.Text"/>, to add to the message (every chat API takes text as text).
    /// </summary>
    public static FileContent File(string path)
    {
        var data = ReadAll(path, Math.Max(MaxPdfBytes, MaxTextBytes), "file");
        if (data.AsSpan().StartsWith("%PDF-"u8))
        {
            return data.Length > MaxPdfBytes
                ? throw Invalid($"The PDF '{path}' has {data.Length / 1048576.0:0.0} MB; the API takes at most {MaxPdfBytes / 1048576} MB of PDFs per request.")
                : new FileContent(new Attachment(AttachmentKind.Pdf, "application/pdf", Data: data, FileName: Path.GetFileName(path)), Text: null);
        }

        if (data.Length > MaxTextBytes || data.AsSpan().IndexOf((byte)0) >= 0 || !IsUtf8(data))
        {
            throw Invalid(data.Length > MaxTextBytes
                ? $"The text file '{path}' has {data.Length / 1048576.0:0.0} MB; at most {MaxTextBytes / 1048576} MB is read into a prompt."
                : $"'{path}' is neither a PDF nor a UTF-8 text file; -File takes those (use -Image for images).");
        }

        var text = Encoding.UTF8.GetString(data).TrimStart('\uFEFF');
        return new FileContent(Attachment: null, $"--- {Path.GetFileName(path)} ---\n{text}");
    }

    private static byte[] ReadAll(string path, long limit, string what)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw Invalid($"The {what} '{path}' does not exist.");
            }

            // why before reading: a 4 GB file named by mistake is refused without being read
            return info.Length > limit
                ? throw Invalid($"The {what} '{path}' has {info.Length / 1048576.0:0.0} MB; at most {limit / 1048576} MB is accepted.")
                : System.IO.File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid($"The {what} '{path}' cannot be read: {ex.Message}");
        }
    }

    private static byte[] Base64(string text)
    {
        try
        {
            return Convert.FromBase64String(Uri.UnescapeDataString(text));
        }
        catch (FormatException)
        {
            throw Invalid("The image data URL does not hold valid base64.");
        }
    }

    private static bool IsUtf8(byte[] data)
    {
        try
        {
            _ = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetCharCount(data);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string? FileName(string source) => source.StartsWith('\'') ? Path.GetFileName(source.Trim('\'')) : null;

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static LlmException Invalid(string message) => new(LlmErrorId.InvalidInput, message);
}

/// <summary>A file for a prompt: a PDF attachment, or the text of a text file.</summary>
/// <param name="Attachment">The PDF, when the file is one.</param>
/// <param name="Text">The file's text with a line naming it, when it is a text file.</param>
public sealed record FileContent(Attachment? Attachment, string? Text);
