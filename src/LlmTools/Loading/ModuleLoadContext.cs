using System.Reflection;
using System.Runtime.Loader;

namespace LlmTools.Loading;

/// <summary>
/// The module's own load context: the engine and every third-party assembly it needs load from
/// <c>Dependencies/</c> here, so other modules' Azure.Core, System.ClientModel, System.Text.Json ... in the
/// default context never clash with ours. Pattern: "Resolving PowerShell module assembly dependency conflicts"
/// (Microsoft Learn) and PowerShellEditorServices' PsesLoadContext.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    private ModuleLoadContext(string engineAssemblyPath)
        : base("LlmTools", isCollectible: false)
    {
        EngineAssemblyPath = engineAssemblyPath;

        // why: the engine's deps.json knows every package assembly and runtime-specific asset
        _resolver = new AssemblyDependencyResolver(engineAssemblyPath);
    }

    public string EngineAssemblyPath { get; }

    public static ModuleLoadContext Create(string dependenciesDirectory) =>
        new(Path.Combine(dependenciesDirectory, "LlmTools.Engine.dll"));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // why: null falls back to the default context, which owns the framework (System.Runtime, ...) and
        // PowerShell; only assemblies that ship in Dependencies/ are ours.
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
