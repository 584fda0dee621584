using System.Buffers.Binary;
using LlmTools.Engine.Attachments;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Tokenization;

namespace LlmTools.Engine.Tests.Attachments;

/// <summary>Image types and sizes read from their headers, and image tokens by OpenAI's published examples.</summary>
public sealed class AttachmentTests
{
    [Theory]
    [InlineData("gpt-4o", 1024, 1024, "high", 765)] // the guide's example: 768 x 768, 4 tiles
    [InlineData("gpt-4o", 2048, 4096, "high", 1105)] // the guide's example: 1024 x 2048, then 768 x 1536, 6 tiles
    [InlineData("gpt-4o", 4096, 8192, "low", 85)] // low detail: the base only
    [InlineData("gpt-4o", 500, 500, null, 255)] // never scaled up: 1 tile
    [InlineData("gpt-4o-mini", 1024, 1024, "high", 2833 + (4 * 5667))]
    [InlineData("gpt-4.1-mini", 1024, 1024, "high", 1659)] // 1,024 patches x 1.62
    [InlineData("gpt-4.1-nano", 1800, 2400, "high", 3572)] // the guide's example: scaled to 1,452 patches, x 2.46
    [InlineData("o4-mini", 64, 64, "low", 7)] // 4 patches x 1.72; patches ignore detail
    public void Image_tokens_follow_the_published_rules(string model, int width, int height, string? detail, int tokens)
    {
        Assert.Equal(tokens, ImageTokens.Estimate(model, width, height, detail).Tokens);
    }

    [Fact]
    public void A_model_without_a_rule_is_counted_as_gpt_4o_and_says_so()
    {
        var estimate = ImageTokens.Estimate("llava:13b", 1024, 1024, "high");

        Assert.Equal(765, estimate.Tokens);
        Assert.False(estimate.KnownModel);
    }

    [Fact]
    public void Sizes_are_read_from_PNG_GIF_JPEG_and_WebP_headers()
    {
        var png = new byte[24];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 640);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 480);

        byte[] gif = [.. "GIF89a"u8.ToArray(), 0x80, 0x02, 0xE0, 0x01];

        // JPEG: SOI, an APP0 segment to skip, then SOF0 with height 480 and width 640
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, 0x00, 0x00];

        // WebP lossless: RIFF, size, WEBP, VP8L, chunk size, signature 0x2F, then 14-bit width-1 and height-1
        var webp = new byte[30];
        "RIFF"u8.CopyTo(webp);
        "WEBPVP8L"u8.CopyTo(webp.AsSpan(8));
        webp[20] = 0x2F;
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(21), (uint)(639 | (479 << 14)));

        foreach (var (bytes, type) in new[] { (png, "image/png"), (gif, "image/gif"), (jpeg, "image/jpeg"), (webp, "image/webp") })
        {
            var image = AttachmentReader.Image(bytes, "test", detail: null);
            Assert.Equal(type, image.MediaType);
            Assert.Equal((640, 480), (image.Width, image.Height));
        }
    }

    [Fact]
    public void Bytes_of_another_type_are_refused_with_the_types_that_work()
    {
        var error = Assert.Throws<LlmException>(() => AttachmentReader.Image("%PDF-1.7"u8.ToArray(), "'x.png'", detail: null));

        Assert.Equal(LlmErrorId.InvalidInput, error.ErrorId);
        Assert.Contains("'x.png' is not a PNG, JPEG, WebP or GIF image", error.Message);
    }

    [Fact]
    public void Pdf_pages_are_counted_from_their_page_objects_not_the_page_tree()
    {
        var pdf = "%PDF-1.4 1 0 obj <</Type /Pages /Count 3>> 2 0 obj <</Type /Page>> 3 0 obj <</Type/Page>> 4 0 obj <</Type\n/Page /Parent 1 0 R>>"u8;

        Assert.Equal(3, PdfPages.Count(pdf));
        Assert.Equal(1, PdfPages.Count("%PDF-1.5 compressed object streams"u8)); // none visible: counted as one
    }

    [Fact]
    public void A_request_counts_its_images_and_tool_definitions_in_its_prompt()
    {
        var text = new ChatRequest { Model = "gpt-4o", Messages = [ChatMessage.User("What is it?")] };
        var image = new Attachment(AttachmentKind.Image, "image/png", Data: [1], Width: 1024, Height: 1024, Detail: "high");
        var withImage = text with { Messages = [ChatMessage.User("What is it?") with { Attachments = [image] }] };
        var withTool = text with { Tools = [new ToolDefinition("Get-Weather", "Gets the weather.", """{"type":"object","properties":{"City":{"type":"string"}}}""")] };

        Assert.Equal(765, PromptEstimate.Of(withImage) - PromptEstimate.Of(text));
        Assert.True(PromptEstimate.Of(withTool) - PromptEstimate.Of(text) >= 15);
    }
}
