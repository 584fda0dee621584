using LlmTools.Engine.Models;

namespace LlmTools.Engine.Tokenization;

/// <summary>
/// The prompt tokens a chat request costs, counted offline, for holds, pacing and -WhatIf: its messages' text, its
/// images by the published rule, its PDFs roughly, and its tool definitions (sent with every request that offers them).
/// </summary>
public static class PromptEstimate
{
    /// <summary>
    /// What one PDF page is counted as. Why 1,500: a PDF is sent as each page's text and an image of the page; this
    /// covers a dense page's text plus a high-detail page image for gpt-4o, so a hold is rarely short. The server's
    /// usage settles the real figure.
    /// </summary>
    public const int TokensPerPdfPage = 1500;

    // why: an image whose size could not be read (a URL) is counted as a 2048 x 2048 one at high detail, the most
    // the tile rule charges, so a budget's hold is not short
    private const int UnknownSide = 2048;

    /// <summary>The prompt tokens of <paramref name="request"/>.</summary>
    public static int Of(ChatRequest request)
    {
        var counter = TokenCounter.ForModel(request.Model).Counter;
        var total = counter.EstimateChat(request.Messages);
        foreach (var attachment in request.Messages.SelectMany(m => m.Attachments ?? []))
        {
            total += Of(attachment, request.Model);
        }

        foreach (var tool in request.Tools ?? [])
        {
            total += counter.Estimate(tool.Name) + counter.Estimate(tool.Description ?? string.Empty) + counter.Estimate(tool.ParametersSchema);
        }

        return total;
    }

    /// <summary>The tokens of one attachment for <paramref name="model"/>.</summary>
    public static int Of(Attachment attachment, string model) => attachment.Kind switch
    {
        AttachmentKind.Image => ImageTokens.Estimate(model, attachment.Width ?? UnknownSide, attachment.Height ?? UnknownSide, attachment.Detail).Tokens,
        _ => TokensPerPdfPage * PdfPages.Count(attachment.Data ?? []),
    };
}
