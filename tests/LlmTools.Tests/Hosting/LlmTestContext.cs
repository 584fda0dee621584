using LlmTools.TestServer;

namespace LlmTools.Tests.Hosting;

/// <summary>
/// Per-test world: a loopback OpenAI/Azure server and a runspace with the module imported, whose ./config.ini
/// points at the server, uses a private cache folder and retries without waiting.
/// </summary>
public abstract class LlmTestContext : IAsyncLifetime
{
    protected const string Key = "fake-test-0123456789abcdefSECRET";

    protected LoopbackLlmServer Server { get; private set; } = null!;

    protected ModuleRunspace Ps { get; private set; } = null!;

    /// <summary>Extra config.ini lines for this test class.</summary>
    protected virtual string ExtraConfig => string.Empty;

    /// <summary>The host the runspace talks to; null for none (prompts cannot be answered).</summary>
    protected virtual System.Management.Automation.Host.PSHost? Host => null;

    public async Task InitializeAsync()
    {
        Server = await LoopbackLlmServer.StartAsync();
        Ps = new ModuleRunspace("[OpenAI]\nWAITING_TIME=0\nMAX_ATTEMPTS=5\nMODEL=gpt-4o-mini\n[LlmTools]\nENDPOINT=" + Server.OpenAIEndpoint + "\n" + ExtraConfig, Host);
        Ps.SetVariable("Key", Key);
        Ps.SetVariable("Server", Server);
    }

    public async Task DisposeAsync()
    {
        Ps.Dispose();
        await Server.DisposeAsync();
    }
}
