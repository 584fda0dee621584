namespace LlmTools.Engine.Tests.Caching;

/// <summary>A temporary cache folder, deleted afterwards.</summary>
internal sealed class TempCache : IDisposable
{
    private readonly string _parent = System.IO.Directory.CreateTempSubdirectory("llmtools-cache-").FullName;

    /// <summary>Not created yet: the cache creates it on the first write, as it would for a user.</summary>
    public string Directory => Path.Combine(_parent, "cache");

    public void Dispose() => System.IO.Directory.Delete(_parent, recursive: true);
}
