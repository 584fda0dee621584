using System.Management.Automation;
using LlmTools.Engine.Attachments;
using LlmTools.Engine.Models;

namespace LlmTools.Session;

/// <summary>
/// What -Image takes (of Send-LlmMessage and Measure-LlmTokens), read the one way: a path (relative to the PowerShell
/// location), an http(s) or data: URL, a FileInfo, or bytes.
/// </summary>
internal static class ImageInputs
{
    /// <summary>
    /// The images of <paramref name="items"/>, nulls and empty strings left out. Why bytes are gathered: PowerShell
    /// unrolls a [byte[]] given to an object[] parameter into one item per byte; all bytes together are one image.
    /// </summary>
    public static IEnumerable<object> Items(object[]? items)
    {
        var values = (items ?? []).Select(i => i is PSObject pso ? pso.BaseObject : i).Where(i => i is not null and not "").ToList();
        return values.Count > 0 && values.All(v => v is byte) ? [values.Cast<byte>().ToArray()] : values!;
    }

    /// <summary>One image; <paramref name="session"/> resolves paths (and knows the drives, so Pics:/cat.png is a path).</summary>
    public static Attachment Read(object value, string? detail, SessionState session) => value switch
    {
        byte[] bytes => AttachmentReader.Image(bytes, "given as bytes", detail),
        FileInfo info => AttachmentReader.ImageFile(info.FullName, detail),
        Uri url => AttachmentReader.ImageUrl(url, detail),
        // why any scheme but a drive's: an ftp: or s3: address is a URL the API cannot fetch, while TestDrive:\cat.png is a file
        string text when Uri.TryCreate(text, UriKind.Absolute, out var url) && !url.IsFile && !IsDrive(session, url.Scheme) => AttachmentReader.ImageUrl(url, detail),
        string path => AttachmentReader.ImageFile(session.Path.GetUnresolvedProviderPathFromPSPath(path), detail),
        var other => throw new Engine.Diagnostics.LlmException(Engine.Diagnostics.LlmErrorId.InvalidInput, $"-Image takes paths, URLs or bytes; got {other.GetType().Name}."),
    };

    private static bool IsDrive(SessionState session, string name) =>
        session.Drive.GetAll().Any(drive => string.Equals(drive.Name, name, StringComparison.OrdinalIgnoreCase));
}
