using Microsoft.Extensions.Hosting;

namespace LlmTools.TestServer;

/// <summary>A host lifetime that ignores console signals (unlike the default ConsoleLifetime).</summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
