using LlmTools.Tests.Hosting;

namespace LlmTools.Tests.Module;

/// <summary>README command 1 runs examples/first-run.ps1: what a newcomer sees, with and without a configured server.</summary>
public sealed class FirstRunTests : LlmTestContext
{
    private static readonly string Script = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "first-run.ps1"));

    [Fact]
    public void With_a_server_it_counts_the_readme_then_asks_one_question()
    {
        File.Copy(Path.Combine(RepoPaths.Root, "README.md"), Path.Combine(Ps.WorkingDirectory, "README.md"));

        var result = Ps.Invoke(Script);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var lines = result.Output.Select(o => o.ToString()).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^\d+ tokens \(o200k_base, gpt-4o\): .*README\.md$", lines[0]);
        Assert.Equal($"Asking gpt-4o-mini at {Server.OpenAIEndpoint} (key: none) ...", lines[1]);
        Assert.Equal("Echo: What is the capital of France? One word.", lines[2]);
    }

    [Fact]
    public void Without_a_server_or_key_it_says_how_to_set_one_in_bash_and_pwsh()
    {
        File.Copy(Path.Combine(RepoPaths.Root, "README.md"), Path.Combine(Ps.WorkingDirectory, "README.md"));
        File.WriteAllText(Ps.ConfigPath, "[LlmTools]\nCACHE_DIR=" + Ps.CacheDirectory + "\n");

        var result = Ps.Invoke(Script);

        Assert.Empty(result.Errors);
        var text = string.Join("\n", result.Output.Select(o => o.ToString()));
        Assert.Contains("No model is configured, so no question was sent.", text);
        Assert.Contains("bash: export OPENAI_API_KEY=", text);
        Assert.Contains("pwsh: $env:OPENAI_API_KEY = ", text);
        Assert.Empty(Server.Requests);
    }
}
