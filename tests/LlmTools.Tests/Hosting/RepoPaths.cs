namespace LlmTools.Tests.Hosting;

/// <summary>Locates the repository and the built module from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ModuleDirectory => Path.Combine(Root, "out", "LlmTools");

    public static string ModuleManifest => Path.Combine(ModuleDirectory, "LlmTools.psd1");

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
