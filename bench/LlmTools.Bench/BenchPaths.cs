namespace LlmTools.Bench;

/// <summary>Locates the repository and the built module from the bench binaries.</summary>
internal static class BenchPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string ModuleManifest => Path.Combine(RepoRoot, "out", "LlmTools", "LlmTools.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlmTools.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LlmTools.sln not found above " + AppContext.BaseDirectory);
    }
}
