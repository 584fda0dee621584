using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LlmTools.Tests.Hosting;

/// <summary>
/// Writes cache entries the way the engine does (file format 1: &lt;dir&gt;/&lt;first 2 hex&gt;/&lt;key&gt;.json). Why by
/// hand: these tests load the built module as PowerShell would and do not reference the engine; writing the
/// format here also pins it, so a change the engine makes by accident breaks a test.
/// </summary>
public sealed class CacheSeeder(string cacheDirectory)
{
    public string CacheDirectory { get; } = cacheDirectory;

    /// <summary>Writes one entry and returns its key; the payload is a chat answer or a vector.</summary>
    public string Add(string model, DateTimeOffset created, string kind = "chat", string preview = "hello", string provider = "OpenAI")
    {
        var key = KeyOf($"{kind}/{model}/{created:O}/{preview}");
        object payload = kind == "chat" ? new { text = "answer to " + preview } : new[] { 0.25f, -0.5f };
        var entry = new Dictionary<string, object?>
        {
            ["format"] = 1,
            ["key"] = key,
            ["kind"] = kind,
            ["model"] = model,
            ["provider"] = provider,
            ["endpointHost"] = "api.openai.com",
            ["created"] = created.ToUniversalTime(),
            ["preview"] = preview,
            ["payload"] = payload,
        };
        WriteFile(key, JsonSerializer.SerializeToUtf8Bytes(entry));
        return key;
    }

    /// <summary>Writes a file named like an entry whose content is not one.</summary>
    public string AddCorrupt(string content = "{\"format\":1,\"key\":\"trunc")
    {
        var key = KeyOf("corrupt/" + content);
        WriteFile(key, Encoding.UTF8.GetBytes(content));
        return key;
    }

    public string PathOf(string key) => Path.Combine(CacheDirectory, key[..2], key + ".json");

    public bool Exists(string key) => File.Exists(PathOf(key));

    public long SizeOf(string key) => new FileInfo(PathOf(key)).Length;

    private void WriteFile(string key, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(key))!);
        File.WriteAllBytes(PathOf(key), content);
    }

    private static string KeyOf(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
