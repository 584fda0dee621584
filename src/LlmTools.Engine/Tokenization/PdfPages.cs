using System.Text;

namespace LlmTools.Engine.Tokenization;

/// <summary>
/// A PDF's page count, read the cheap way: the "/Type /Page" objects in its bytes. Why not a PDF library: this is
/// only for a token estimate; a PDF that packs its objects in compressed streams counts as one page.
/// </summary>
internal static class PdfPages
{
    private static readonly byte[] TypeKey = Encoding.ASCII.GetBytes("/Type");

    public static int Count(ReadOnlySpan<byte> pdf)
    {
        var pages = 0;
        var at = 0;
        while (at < pdf.Length && pdf[at..].IndexOf(TypeKey) is var found && found >= 0)
        {
            var next = at + found + TypeKey.Length;
            while (next < pdf.Length && pdf[next] is (byte)' ' or (byte)'\r' or (byte)'\n')
            {
                next++;
            }

            // why the s and letter check: "/Pages" is the page tree, not a page
            if (pdf[next..].StartsWith("/Page"u8) && (next + 5 >= pdf.Length || !char.IsAsciiLetter((char)pdf[next + 5])))
            {
                pages++;
            }

            at = next;
        }

        return Math.Max(1, pages);
    }
}
