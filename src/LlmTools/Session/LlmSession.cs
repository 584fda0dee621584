using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using LlmTools.Engine.Configuration;

namespace LlmTools.Session;

/// <summary>
/// State of one runspace: the settings last resolved there and (later) its clients. Why per runspace: thread
/// jobs and ForEach-Object -Parallel run other runspaces, each with its own working directory and parameters;
/// a process-wide static would leak one runspace's endpoint or key into another.
/// </summary>
internal sealed class LlmSession
{
    private static readonly ConditionalWeakTable<Runspace, LlmSession> Sessions = new();

    /// <summary>The session of <paramref name="runspace"/>, created on first use.</summary>
    public static LlmSession For(Runspace runspace) => Sessions.GetValue(runspace, _ => new LlmSession());

    /// <summary>The settings resolved by the last cmdlet call in this runspace.</summary>
    public LlmSettings? LastSettings { get; set; }
}
