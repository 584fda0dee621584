using System.Diagnostics;
using LlmTools.TestServer;
using LlmTools.TestServer.Host;

// why a process: Pester runs in its own pwsh, and must talk to the same server the xunit tests use.
// Contract: one line on stdout, the base URL (http://127.0.0.1:PORT/); then serve until stdin reaches its end or
// the process named by -ParentPid exits, so a killed test run leaves no server behind.
var parent = ParentFrom(args);

await using var server = await LoopbackLlmServer.StartAsync(ControlEndpoints.Map);
Console.Out.WriteLine(server.BaseUri);
Console.Out.Flush();

var stdinClosed = Task.Run(() =>
{
    using var stdin = Console.OpenStandardInput();
    var buffer = new byte[256];
    while (stdin.Read(buffer) > 0)
    {
        // why: nothing is read from stdin; it is only watched for its end
    }
});
var parentExited = parent?.WaitForExitAsync() ?? Task.Delay(Timeout.Infinite);
await Task.WhenAny(stdinClosed, parentExited);
return 0;

static Process? ParentFrom(string[] args)
{
    var at = Array.FindIndex(args, a => a.Equals("-ParentPid", StringComparison.OrdinalIgnoreCase));
    if (at < 0 || at + 1 >= args.Length || !int.TryParse(args[at + 1], out var pid))
    {
        return null;
    }

    try
    {
        return Process.GetProcessById(pid);
    }
    catch (ArgumentException)
    {
        Environment.Exit(2); // why: the parent is already gone, so nobody is there to use or stop this server
        return null;
    }
}
