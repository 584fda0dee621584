using System.Buffers.Binary;
using System.Text.Json.Nodes;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// Images and files on a prompt, checked on the wire against the OpenAI Chat Completions reference: a user message's
/// content becomes an array of parts, {type: text, text}, {type: image_url, image_url: {url, detail}} (a data: URL
/// for local bytes) and {type: file, file: {filename, file_data}} for a PDF.
/// </summary>
public sealed class AttachmentTests : LlmTestContext
{
    /// <summary>The first bytes of a PNG of the given size: signature and IHDR, all the module reads.</summary>
    internal static byte[] Png(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        return bytes;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Ps.WorkingDirectory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private JsonArray UserParts(int request = 0) =>
        Server.Requests.Where(r => r.Route == LlmRoute.Chat).ElementAt(request).Json!["messages"]!.AsArray().Last()!["content"]!.AsArray();

    [Fact]
    public void An_image_file_goes_as_a_data_URL_part_after_the_text()
    {
        var png = Png(1024, 1024);
        Write("chart.png", png);

        var result = Ps.Invoke("Send-LlmMessage 'What does this chart show?' -Image ./chart.png -ImageDetail high");

        Assert.Empty(result.Errors);
        var parts = UserParts();
        Assert.Equal("text", (string?)parts[0]!["type"]);
        Assert.Equal("What does this chart show?", (string?)parts[0]!["text"]);
        Assert.Equal("image_url", (string?)parts[1]!["type"]);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), (string?)parts[1]!["image_url"]!["url"]);
        Assert.Equal("high", (string?)parts[1]!["image_url"]!["detail"]);
    }

    [Fact]
    public void An_image_URL_is_sent_for_the_provider_to_fetch()
    {
        Ps.Invoke("Send-LlmMessage 'Describe it' -Image https://example.com/cat.jpg | Out-Null");

        Assert.Equal("https://example.com/cat.jpg", (string?)UserParts()[1]!["image_url"]!["url"]);
    }

    [Fact]
    public void A_pdf_goes_as_a_file_part_and_a_text_file_as_text()
    {
        var pdf = "%PDF-1.7\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /Type /Pages >> endobj\n%%EOF"u8.ToArray();
        Write("report.pdf", pdf);
        File.WriteAllText(Path.Combine(Ps.WorkingDirectory, "notes.txt"), "disk sda is at 91%");

        var result = Ps.Invoke("Send-LlmMessage 'Summarise' -File ./report.pdf, ./notes.txt");

        Assert.Empty(result.Errors);
        var parts = UserParts();
        Assert.Equal("Summarise\n\n--- notes.txt ---\ndisk sda is at 91%", (string?)parts[0]!["text"]);
        Assert.Equal("file", (string?)parts[1]!["type"]);
        Assert.Equal("report.pdf", (string?)parts[1]!["file"]!["filename"]);
        Assert.Equal("data:application/pdf;base64," + Convert.ToBase64String(pdf), (string?)parts[1]!["file"]!["file_data"]);
    }

    [Fact]
    public void A_bad_attachment_fails_its_item_before_anything_is_sent_and_the_others_go_on()
    {
        File.WriteAllText(Path.Combine(Ps.WorkingDirectory, "not-an-image.png"), "hello");
        Write("good.png", Png(64, 64));
        using (var huge = File.Create(Path.Combine(Ps.WorkingDirectory, "huge.png")))
        {
            huge.SetLength(21L * 1024 * 1024); // sparse: nothing is written, and it is refused before it is read
        }

        var result = Ps.Invoke("""
            [pscustomobject]@{ Prompt = 'a'; Image = './not-an-image.png' },
            [pscustomobject]@{ Prompt = 'b'; Image = './missing.png' },
            [pscustomobject]@{ Prompt = 'c'; Image = './huge.png' },
            [pscustomobject]@{ Prompt = 'd'; Image = './good.png' } | Send-LlmMessage
            """);

        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("InvalidInput", e.FullyQualifiedErrorId));
        Assert.Contains("is not a PNG, JPEG, WebP or GIF image", result.Errors[0].Exception.Message);
        Assert.Contains("does not exist", result.Errors[1].Exception.Message);
        Assert.Contains("at most 20 MB", result.Errors[2].Exception.Message);
        Assert.Equal("Echo: d", result.Output.Single().Properties["Content"].Value);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat)); // each row's Image property bound to -Image
    }

    [Fact]
    public void Image_tokens_follow_the_published_rule_in_counts_and_estimates()
    {
        Write("square.png", Png(1024, 1024));

        var counts = Ps.Invoke("""
            (Measure-LlmTokens -Image ./square.png -Model gpt-4o).Tokens
            (Measure-LlmTokens -Image ./square.png -Model gpt-4o -ImageDetail low).Tokens
            (Measure-LlmTokens -Image ./square.png -Model gpt-4.1-mini).Tokens
            """);
        var text = (int)Ps.Invoke("(Send-LlmMessage 'What is it?' -Model gpt-4o -WhatIf).PromptTokens").Output[0].BaseObject;
        var withImage = (int)Ps.Invoke("(Send-LlmMessage 'What is it?' -Model gpt-4o -Image ./square.png -WhatIf).PromptTokens").Output[0].BaseObject;

        Assert.Equal([765, 85, 1659], counts.Output.Select(o => (int)o.BaseObject).ToArray()); // 85 + 4 tiles x 170; 1024 patches x 1.62
        Assert.Equal(765, withImage - text);
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Images_are_in_the_cache_key()
    {
        Write("a.png", Png(10, 10));
        Write("b.png", Png(20, 20));

        Ps.Invoke("Send-LlmMessage 'same words' -Image ./a.png -Cache | Out-Null; Send-LlmMessage 'same words' -Image ./b.png -Cache | Out-Null");
        var again = Ps.Invoke("Send-LlmMessage 'same words' -Image ./a.png -Cache");

        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
        Assert.True((bool)again.Output.Single().Properties["Cached"].Value);
    }

    [Fact]
    public void The_Responses_API_carries_images_and_pdfs_as_input_parts()
    {
        var png = Png(32, 32);
        Write("dot.png", png);
        var pdf = "%PDF-1.7\n%%EOF"u8.ToArray();
        Write("a.pdf", pdf);

        var result = Ps.Invoke("Send-LlmMessage 'Compare' -Api Responses -Image ./dot.png -ImageDetail low -File ./a.pdf");

        Assert.Empty(result.Errors);
        var parts = Server.Requests.Single(r => r.Route == LlmRoute.Responses).Json!["input"]!.AsArray().Last()!["content"]!.AsArray();
        Assert.Equal(["input_text", "input_image", "input_file"], parts.Select(p => (string)p!["type"]!).ToArray());
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), (string?)parts[1]!["image_url"]);
        Assert.Equal("low", (string?)parts[1]!["detail"]);
        Assert.Equal("a.pdf", (string?)parts[2]!["filename"]);
        Assert.Equal("data:application/pdf;base64," + Convert.ToBase64String(pdf), (string?)parts[2]!["file_data"]);
    }

    [Fact]
    public void Template_rows_never_bind_their_File_or_Image_columns_and_an_empty_cell_is_no_attachment()
    {
        File.WriteAllText(Path.Combine(Ps.WorkingDirectory, "secrets.txt"), "password=hunter2");

        var result = Ps.Invoke("""
            [pscustomobject]@{ Title = 'printer broken'; File = 'secrets.txt'; Image = 'nginx:1.27' },
            [pscustomobject]@{ Title = 'no attachment'; File = ''; Image = '' } | Send-LlmMessage -Template 'Classify: {{Title}}'
            [pscustomobject]@{ Prompt = 'empty cells'; File = ''; Image = '' } | Send-LlmMessage
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(3, Server.CountOf(LlmRoute.Chat));
        Assert.All(Server.Requests.Where(r => r.Route == LlmRoute.Chat), r => Assert.DoesNotContain("hunter2", r.Body));
        Assert.All(Server.Requests.Where(r => r.Route == LlmRoute.Chat), r => Assert.DoesNotContain("image_url", r.Body));
    }

    [Fact]
    public void Bytes_are_one_image_and_a_URL_is_never_a_path()
    {
        var png = Png(1024, 1024);
        Ps.SetVariable("Bytes", png);
        Write("square.png", png);

        var sent = Ps.Invoke("Send-LlmMessage 'What is it?' -Image $Bytes | Out-Null");
        var counted = Ps.Invoke("(Measure-LlmTokens -Image $Bytes -Model gpt-4o).Tokens");
        var url = Ps.Invoke("Measure-LlmTokens -Image https://example.com/cat.png -Model gpt-4o; Send-LlmMessage 'x' -Image ftp://example.com/cat.png");

        Assert.Empty(sent.Errors);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), (string?)UserParts()[1]!["image_url"]!["url"]);
        Assert.Equal(765, (int)counted.Output.Single().BaseObject);
        Assert.Equal(2, url.Errors.Count);
        Assert.Contains("cannot be known offline", url.Errors[0].Exception.Message);
        Assert.Contains("is not http, https or data", url.Errors[1].Exception.Message);
    }

    [Fact]
    public void A_path_on_a_PowerShell_drive_is_a_file_not_a_URL()
    {
        var png = Png(16, 16);
        Write("cat.png", png);

        var result = Ps.Invoke("""
            $state = $ExecutionContext.SessionState
            $null = $state.Drive.New([System.Management.Automation.PSDriveInfo]::new('Pics', $state.Provider.GetOne('FileSystem'), $args[0], '', $null), 'global')
            Send-LlmMessage 'what?' -Image Pics:/cat.png | Out-Null
            """, Ps.WorkingDirectory);

        Assert.Empty(result.Errors);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), (string?)UserParts()[1]!["image_url"]!["url"]);
    }
}
