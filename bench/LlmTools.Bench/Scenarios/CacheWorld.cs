using System.Diagnostics;
using System.Management.Automation;
using LlmTools.TestServer;

namespace LlmTools.Bench.Scenarios;

/// <summary>
/// One cache under test: a runspace with the module imported whose ./config.ini names a fresh cache folder and the
/// loopback server (retries without waiting), filled with <see cref="Entries"/> chat answers or embeddings through
/// real requests. One kind per folder, so a 10,000-entry cache holds exactly 10,000 entry files.
/// </summary>
internal sealed class CacheWorld : IDisposable
{
    public const string ChatModel = "gpt-4o-mini";
    public const string EmbeddingModel = "text-embedding-3-small";

    private readonly LoopbackLlmServer _server;
    private readonly bool _keepFiles;

    public CacheWorld(string manifest, LoopbackLlmServer server, CacheKind kind, int entries, bool keepFiles)
    {
        _server = server;
        _keepFiles = keepFiles;
        Kind = kind;
        Entries = entries;
        CacheDirectory = Directory.CreateTempSubdirectory($"llmtools-bench-cache-{kind.ToString().ToLowerInvariant()}-{entries}-").FullName;
        Host = new ModuleHost();
        File.WriteAllText(
            Path.Combine(Host.WorkingDirectory, "config.ini"),
            $"[OpenAI]\nWAITING_TIME=0\nMODEL={ChatModel}\nEMBEDDING_MODEL={EmbeddingModel}\n" +
            $"[LlmTools]\nENDPOINT={server.OpenAIEndpoint}\nCACHE_DIR={CacheDirectory}\nCACHE_MODE=readwrite\n");
        Host.Import(manifest);
    }

    public CacheKind Kind { get; }

    public int Entries { get; }

    public string CacheDirectory { get; }

    public ModuleHost Host { get; }

    /// <summary>The text of entry <paramref name="i"/>: a chat prompt or an embedding input.</summary>
    public static string Text(CacheKind kind, int i) => kind == CacheKind.Chat ? $"prompt {i}" : $"text {i}";

    public LlmRoute Route => Kind == CacheKind.Chat ? LlmRoute.Chat : LlmRoute.Embeddings;

    /// <summary>Fills the cache by really calling the cmdlet with <see cref="Entries"/> distinct texts, and checks that it took one request per entry (chat) or per batch of 100 (embeddings).</summary>
    public FillResult Fill()
    {
        var texts = Enumerable.Range(0, Entries).Select(i => Text(Kind, i)).ToArray();
        var before = _server.CountOf(Route);
        var sw = Stopwatch.StartNew();
        var output = Host.Invoke(
            ps => (Kind == CacheKind.Chat
                    ? ps.AddCommand("Send-LlmMessage").AddParameter("Cache").AddParameter("ThrottleLimit", 8)
                    : ps.AddCommand("Get-LlmEmbedding").AddParameter("BatchSize", 100))
                .AddParameter("Endpoint", _server.OpenAIEndpoint).AddParameter("ApiKey", "x"),
            texts);
        var ms = sw.Elapsed.TotalMilliseconds;
        var requests = _server.CountOf(Route) - before;
        var files = EntryFiles();
        var expectedRequests = Kind == CacheKind.Chat ? Entries : (Entries + 99) / 100;
        var outputOk = output.Count == Entries && output.All(o => !(bool)o.Properties["Cached"].Value);
        return new FillResult(
            Kind, Entries, requests, expectedRequests, files.Length, files.Sum(f => f.Length), ms,
            outputOk && requests == expectedRequests && files.Length == Entries);
    }

    /// <summary>Entry files (not temp files) in the cache folder.</summary>
    public FileInfo[] EntryFiles() =>
        new DirectoryInfo(CacheDirectory).GetFiles("*.json", SearchOption.AllDirectories);

    /// <summary>Requests the server has seen on this cache's route.</summary>
    public int ServerRequests => _server.CountOf(Route);

    /// <summary>True when every object is a cached answer for the text it was asked for, in input order.</summary>
    public bool AllCachedHits(IReadOnlyList<PSObject> output, IReadOnlyList<string> texts)
    {
        if (output.Count != texts.Count)
        {
            return false;
        }

        for (var i = 0; i < output.Count; i++)
        {
            var o = output[i];
            var answered = Kind == CacheKind.Chat
                ? (string)o.Properties["Content"].Value == "Echo: " + texts[i]
                : (string)o.Properties["Text"].Value == texts[i];
            if (!answered || !(bool)o.Properties["Cached"].Value)
            {
                return false;
            }
        }

        return true;
    }

    public void Dispose()
    {
        Host.Dispose();
        if (_keepFiles)
        {
            Console.WriteLine($"kept {CacheDirectory}");
            return;
        }

        try
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }
        catch (IOException)
        {
            // why: best effort; a leftover temp folder is harmless
        }
    }
}
