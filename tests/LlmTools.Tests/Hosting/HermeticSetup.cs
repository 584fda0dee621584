using System.Runtime.CompilerServices;
using LlmTools.TestServer;

namespace LlmTools.Tests.Hosting;

/// <summary>Runs before any test of this assembly: the runspaces see none of the runner's LlmTools settings.</summary>
internal static class HermeticSetup
{
#pragma warning disable CA2255 // why: this is a test assembly, and the environment must be clean before xunit runs anything
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Run() => HermeticEnvironment.Apply();
}
