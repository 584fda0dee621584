using System.Runtime.Loader;
using LlmTools.Tests.Hosting;

namespace LlmTools.Tests.Module;

public sealed class LoadIsolationTests
{
    [Fact]
    public void Module_works_when_other_versions_of_its_dependencies_are_already_loaded()
    {
        // Another module (think Az.Accounts) got there first with older copies in the default context.
        var olderClientModel = typeof(System.ClientModel.ApiKeyCredential).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(olderClientModel));
        var olderTokenizers = typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(olderTokenizers));
        Assert.StartsWith("2.0.0", InformationalVersion(olderTokenizers));

        using var ps = new ModuleRunspace();
        var result = ps.Invoke("'hello world' | Measure-LlmTokens -Model gpt-4o");

        Assert.Empty(result.Errors);
        Assert.Equal(2, (int)result.Output.Single().Properties["Tokens"].Value);

        var moduleContext = AssemblyLoadContext.All.Single(c => c.Name == "LlmTools");
        var ours = moduleContext.Assemblies.ToDictionary(a => a.GetName().Name!);
        Assert.StartsWith("2.0.1", InformationalVersion(ours["Microsoft.ML.Tokenizers"]));
        Assert.StartsWith(RepoPaths.ModuleDirectory, ours["Microsoft.ML.Tokenizers"].Location);
        Assert.NotSame(olderTokenizers, ours["Microsoft.ML.Tokenizers"]);
        Assert.Contains("LlmTools.Engine", ours.Keys);
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "LlmTools.Engine");
    }

    private static string InformationalVersion(System.Reflection.Assembly assembly) =>
        assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
}
