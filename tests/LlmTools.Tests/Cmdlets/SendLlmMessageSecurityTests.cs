using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

public sealed class SendLlmMessageSecurityTests : LlmTestContext
{
    [Fact]
    public void A_rejected_key_never_appears_in_errors_verbose_or_output()
    {
        Server.RequiredKey = "fake-right-key-000000000000";

        var result = Ps.InvokeVerbose("Send-LlmMessage 'hi' -ApiKey $Key; $Error[0].Exception.ToString(); $Error[0].ErrorDetails");

        Assert.StartsWith("AuthenticationFailed,", result.Errors[0].FullyQualifiedErrorId);
        var everything = result.AllText() + string.Join("\n", result.Errors.Select(e => e.Exception.ToString()));
        Assert.DoesNotContain(Key, everything);
        Assert.Contains("401", everything);
    }

    [Fact]
    public void A_key_from_a_secure_string_is_used_and_never_shown()
    {
        var result = Ps.InvokeVerbose("$secure = [System.Net.NetworkCredential]::new('', $Key).SecurePassword; Send-LlmMessage 'hi' -ApiKey $secure");

        Assert.Empty(result.Errors);
        Assert.Equal("Bearer " + Key, Server.Requests[0].Header("Authorization"));
        Assert.DoesNotContain(Key, result.AllText());
        Assert.Contains(result.Verbose, v => v.Message.Contains("key from parameter -ApiKey", StringComparison.Ordinal));
    }

    [Fact]
    public void No_key_for_api_openai_com_terminates_once_with_how_to_fix_it()
    {
        var saved = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", null);
        try
        {
            var result = Ps.Invoke("'a', 'b', 'c' | Send-LlmMessage -Endpoint 'https://api.openai.com/v1'");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("ApiKeyMissing,", error.FullyQualifiedErrorId);
            Assert.Contains("OPENAI_API_KEY", error.Exception.Message);
            Assert.Empty(result.Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OPENAI_API_KEY", saved);
        }
    }

    [Fact]
    public void Azure_without_endpoint_terminates_with_how_to_fix_it()
    {
        var saved = Environment.GetEnvironmentVariable("AZURE_OPENAI_ENDPOINT");
        Environment.SetEnvironmentVariable("AZURE_OPENAI_ENDPOINT", null);
        File.WriteAllText(Ps.ConfigPath, "[LlmTools]\nCACHE_DIR=" + Ps.CacheDirectory + "\n");
        try
        {
            var result = Ps.Invoke("Send-LlmMessage 'a' -Provider Azure -ApiKey $Key");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("InvalidConfiguration,", error.FullyQualifiedErrorId);
            Assert.Contains("AZURE_OPENAI_ENDPOINT", error.Exception.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AZURE_OPENAI_ENDPOINT", saved);
        }
    }

    [Fact]
    public void A_bad_config_value_terminates_before_any_request()
    {
        File.AppendAllText(Ps.ConfigPath, "[OpenAI]\nTEMPERATURE=hot\n");

        var result = Ps.Invoke("'a', 'b' | Send-LlmMessage -ApiKey $Key");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidConfiguration,", error.FullyQualifiedErrorId);
        Assert.Contains("TEMPERATURE", error.Exception.Message);
        Assert.Empty(Server.Requests);
    }
}
