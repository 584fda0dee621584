using System.Runtime.Loader;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Module;

public sealed class LoadIsolationTests
{
    [Fact]
    public async Task Module_works_when_other_versions_of_its_dependencies_are_already_loaded()
    {
        // Another module (think Az.Accounts) got there first with older copies in the default context.
        var olderClientModel = typeof(System.ClientModel.ApiKeyCredential).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(olderClientModel));
        var olderTokenizers = typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(olderTokenizers));
        Assert.StartsWith("2.0.0", InformationalVersion(olderTokenizers));

        await using var server = await LoopbackLlmServer.StartAsync();
        using var ps = new ModuleRunspace();
        var result = ps.Invoke("'hello world' | Measure-LlmTokens -Model gpt-4o; Send-LlmMessage 'hi' -Endpoint $args[0]", server.OpenAIEndpoint);

        Assert.Empty(result.Errors);
        Assert.Equal(2, (int)result.Output[0].Properties["Tokens"].Value);
        Assert.Equal("Echo: hi", result.Output[1].ToString());

        var moduleContext = AssemblyLoadContext.All.Single(c => c.Name == "LlmTools");
        var ours = moduleContext.Assemblies.ToDictionary(a => a.GetName().Name!);
        Assert.StartsWith("2.0.1", InformationalVersion(ours["Microsoft.ML.Tokenizers"]));
        Assert.StartsWith(RepoPaths.ModuleDirectory, ours["Microsoft.ML.Tokenizers"].Location);
        Assert.StartsWith(RepoPaths.ModuleDirectory, ours["System.ClientModel"].Location);
        Assert.NotSame(olderClientModel, ours["System.ClientModel"]);
        Assert.NotEqual(olderClientModel.GetName().Version, ours["System.ClientModel"].GetName().Version);
        Assert.NotSame(olderTokenizers, ours["Microsoft.ML.Tokenizers"]);
        Assert.Contains("LlmTools.Engine", ours.Keys);
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "LlmTools.Engine");
    }

    private static string InformationalVersion(System.Reflection.Assembly assembly) =>
        assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
}
