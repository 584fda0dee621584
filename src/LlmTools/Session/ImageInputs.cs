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

    /// <summary>One image; <paramref name="resolve"/> turns a path into the file system's.</summary>
    public static Attachment Read(object value, string? detail, Func<string, string> resolve) => value switch
    {
        byte[] bytes => AttachmentReader.Image(bytes, "given as bytes", detail),
        FileInfo info => AttachmentReader.ImageFile(info.FullName, detail),
        Uri url => AttachmentReader.ImageUrl(url, detail),
        // why any scheme but file: an ftp: or s3: address is a URL the API cannot fetch, not a drive named ftp
        string text when Uri.TryCreate(text, UriKind.Absolute, out var url) && !url.IsFile => AttachmentReader.ImageUrl(url, detail),
        string path => AttachmentReader.ImageFile(resolve(path), detail),
        var other => throw new Engine.Diagnostics.LlmException(Engine.Diagnostics.LlmErrorId.InvalidInput, $"-Image takes paths, URLs or bytes; got {other.GetType().Name}."),
    };
}
