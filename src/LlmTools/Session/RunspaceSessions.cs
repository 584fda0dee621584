using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using LlmTools.Engine.Sessions;

namespace LlmTools.Session;

/// <summary>
/// The engine sessions of each runspace. Why per runspace: thread jobs and ForEach-Object -Parallel run other
/// runspaces with their own parameters; a process-wide static would leak one runspace's endpoint or key into another.
/// Pattern: PSOpenAD's ConditionalWeakTable&lt;Runspace, ...&gt;; the registry goes when its runspace does.
/// </summary>
internal static class RunspaceSessions
{
    private static readonly ConditionalWeakTable<Runspace, SessionRegistry> Registries = new();

    /// <summary>The registry of <paramref name="runspace"/>, created on first use.</summary>
    public static SessionRegistry For(Runspace runspace) => Registries.GetValue(runspace, _ => new SessionRegistry());
}
