namespace LlmTools.Engine.Tests.Configuration;

/// <summary>A temporary folder of config files, deleted afterwards.</summary>
internal sealed class TempConfig : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("llmtools-config-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
