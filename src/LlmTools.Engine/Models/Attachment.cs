namespace LlmTools.Engine.Models;

/// <summary>What an attachment is, which decides how it is sent.</summary>
public enum AttachmentKind
{
    /// <summary>An image (PNG, JPEG, WebP, GIF): an image_url part, by URL or as a data URL.</summary>
    Image,

    /// <summary>A PDF: a file part with its bytes (file_data).</summary>
    Pdf,
}

/// <summary>
/// An image or PDF a user message carries. Exactly one of <see cref="Url"/> and <see cref="Data"/> is set. Text files
/// are not attachments: they are read into the message's text, which is how every chat API accepts them.
/// </summary>
/// <param name="Kind">Image or PDF.</param>
/// <param name="MediaType">image/png, image/jpeg, image/webp, image/gif or application/pdf.</param>
/// <param name="Url">An http(s) image URL the provider fetches itself.</param>
/// <param name="Data">The bytes, sent inline (base64).</param>
/// <param name="FileName">The file's name, sent with a PDF and shown in messages.</param>
/// <param name="Detail">Image detail: low, high or auto; null lets the server decide (auto).</param>
/// <param name="Width">Image width in pixels, when known (for the token estimate).</param>
/// <param name="Height">Image height in pixels, when known.</param>
public sealed record Attachment(
    AttachmentKind Kind,
    string MediaType,
    Uri? Url = null,
    byte[]? Data = null,
    string? FileName = null,
    string? Detail = null,
    int? Width = null,
    int? Height = null);
