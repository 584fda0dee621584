using LlmTools.Tests.Hosting;

namespace LlmTools.Tests.Cmdlets;

public sealed class MeasureLlmTokensTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();

    [Fact]
    public void Pipeline_texts_get_one_count_each_with_model_and_encoding()
    {
        var result = _ps.Invoke("'hello world', 'お誕生日おめでとう', '' | Measure-LlmTokens -Model gpt-4o");

        Assert.Empty(result.Errors);
        var counts = result.Output.Select(o => (int)o.Properties["Tokens"].Value).ToArray();
        Assert.Equal([2, 8, 0], counts);
        Assert.All(result.Output, o => Assert.Equal("o200k_base", o.Properties["Encoding"].Value));
        Assert.Equal("お誕生日おめでとう", result.Output[1].Properties["Text"].Value);
        Assert.Equal(9L, result.Output[1].Properties["Characters"].Value);
    }

    [Fact]
    public void Default_model_comes_from_config()
    {
        File.AppendAllText(_ps.ConfigPath, "[OpenAI]\nMODEL=gpt-4\n");

        var result = _ps.Invoke("Measure-LlmTokens 'お誕生日おめでとう'");

        Assert.Equal("gpt-4", result.Output.Single().Properties["Model"].Value);
        Assert.Equal(9, result.Output.Single().Properties["Tokens"].Value);
    }

    [Fact]
    public void Encoding_parameter_picks_the_encoding_directly()
    {
        var result = _ps.Invoke("Measure-LlmTokens -Text 'お誕生日おめでとう' -Encoding r50k_base");

        Assert.Equal(14, result.Output.Single().Properties["Tokens"].Value);
    }

    [Fact]
    public void Unknown_model_warns_what_it_fell_back_to()
    {
        var result = _ps.Invoke("Measure-LlmTokens -Text 'hello world' -Model llama3.1:8b");

        Assert.Equal(2, result.Output.Single().Properties["Tokens"].Value);
        Assert.Contains("o200k_base", Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void Files_bind_from_Get_ChildItem_by_property_name_and_wildcards_expand()
    {
        File.WriteAllText(Path.Combine(_ps.WorkingDirectory, "a.md"), "hello world");
        File.WriteAllText(Path.Combine(_ps.WorkingDirectory, "b.md"), "tiktoken is great!");
        File.WriteAllText(Path.Combine(_ps.WorkingDirectory, "c.txt"), "not me");

        // what Get-ChildItem writes (FileInfo objects carrying PSPath), without the Management module
        var piped = _ps.Invoke("$ExecutionContext.InvokeProvider.ChildItem.Get('*.md', $false) | Measure-LlmTokens -Model gpt-4o");
        var fileInfos = _ps.Invoke("[System.IO.DirectoryInfo]::new($pwd.Path).GetFiles('a.md') | Measure-LlmTokens -Model gpt-4o");
        var wildcard = _ps.Invoke("Measure-LlmTokens -Path ./*.md -Model gpt-4o");

        Assert.Empty(piped.Errors);
        Assert.Equal([2, 6], piped.Output.Select(o => (int)o.Properties["Tokens"].Value));
        Assert.EndsWith("a.md", (string)piped.Output[0].Properties["Path"].Value);
        Assert.Equal(2, wildcard.Output.Count);
        Assert.Equal(2, fileInfos.Output.Single().Properties["Tokens"].Value);
    }

    [Fact]
    public void A_missing_file_is_an_error_for_that_item_and_the_rest_still_count()
    {
        File.WriteAllText(Path.Combine(_ps.WorkingDirectory, "a.md"), "hello world");

        var result = _ps.Invoke("Measure-LlmTokens -LiteralPath ./missing.md, ./a.md -Model gpt-4o");

        Assert.Equal("PathNotFound,LlmTools.Commands.MeasureLlmTokensCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(2, result.Output.Single().Properties["Tokens"].Value);
    }

    [Fact]
    public void Messages_count_a_whole_chat_like_the_cookbook()
    {
        var result = _ps.Invoke("""
            Measure-LlmTokens -Model gpt-4o -Messages @(
                @{ role = 'system'; content = 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' }
                @{ role = 'system'; name = 'example_user'; content = 'New synergies will help drive top-line growth.' }
                @{ role = 'system'; name = 'example_assistant'; content = 'Things working well together will increase revenue.' }
                @{ role = 'system'; name = 'example_user'; content = "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." }
                @{ role = 'system'; name = 'example_assistant'; content = "Let's talk later when we're less busy about how to do better." }
                [pscustomobject]@{ Role = 'user'; Content = "This late pivot means we don't have time to boil the ocean for the client deliverable." }
            )
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(124, result.Output.Single().Properties["Tokens"].Value);
        Assert.Equal(6, result.Output.Single().Properties["MessageCount"].Value);
    }

    [Fact]
    public void A_message_without_a_role_is_a_clear_error()
    {
        var result = _ps.Invoke("Measure-LlmTokens -Model gpt-4o -Messages @{ content = 'hi' }");

        Assert.Contains("role", Assert.Single(result.Errors).Exception.Message);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_bad_config_value_it_does_not_use_does_not_stop_it()
    {
        File.AppendAllText(_ps.ConfigPath, "[OpenAI]\nTEMPERATURE=hot\n");

        var result = _ps.Invoke("Measure-LlmTokens 'hello'");

        Assert.Empty(result.Errors);
        Assert.Single(result.Output);
    }

    [Fact]
    public void An_unreadable_config_file_terminates_naming_the_file()
    {
        File.AppendAllText(_ps.ConfigPath, "[OpenAI\nMODEL\n");

        var result = _ps.Invoke("Measure-LlmTokens 'hello'");

        var error = Assert.Single(result.Errors);
        Assert.Equal("InvalidConfiguration,LlmTools.Commands.MeasureLlmTokensCommand", error.FullyQualifiedErrorId);
        Assert.Contains(_ps.ConfigPath, error.Exception.Message);
        Assert.Empty(result.Output);
    }

    public void Dispose() => _ps.Dispose();
}
