using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace LlmTools.Loading;

/// <summary>
/// Runs on Import-Module: teaches the default load context to find LlmTools.Engine in the module's own
/// context. Everything the engine references then resolves there, never in the default context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private const string EngineAssemblyName = "LlmTools.Engine";

    // why: the default context is process-wide, so is its resolver; a second import (another runspace) reuses it
    private static readonly Lazy<ModuleLoadContext> LoadContext = new(() =>
    {
        var moduleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        return ModuleLoadContext.Create(Path.Combine(moduleDirectory, "Dependencies"));
    });

    private static int _registered;

    /// <summary>Called by PowerShell when the module is imported.</summary>
    public void OnImport()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal)
            ? LoadContext.Value.LoadFromAssemblyPath(LoadContext.Value.EngineAssemblyPath)
            : null;
}
