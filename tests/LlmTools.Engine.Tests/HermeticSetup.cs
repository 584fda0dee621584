using System.Runtime.CompilerServices;
using LlmTools.TestServer;

namespace LlmTools.Engine.Tests;

/// <summary>Runs before any test of this assembly: none of the runner's LlmTools settings reaches a test.</summary>
internal static class HermeticSetup
{
#pragma warning disable CA2255 // why: this is a test assembly, and the environment must be clean before xunit runs anything
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Run() => HermeticEnvironment.Apply();
}
