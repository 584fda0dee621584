using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Providers;

namespace LlmTools.Session;

/// <summary>
/// State of one runspace: its clients, one per (provider, endpoint,
/// credential, api-version), reused across calls so connections are too. Why per runspace: thread jobs and
/// ForEach-Object -Parallel run other runspaces with their own parameters; a process-wide static would leak
/// one runspace's endpoint or key into another. Pattern: PSOpenAD's ConditionalWeakTable&lt;Runspace, ...&gt;.
/// </summary>
internal sealed class LlmSession
{
    private static readonly ConditionalWeakTable<Runspace, LlmSession> Sessions = new();

    private readonly ConcurrentDictionary<string, Lazy<ILlmClient>> _clients = new(StringComparer.Ordinal);

    /// <summary>The session of <paramref name="runspace"/>, created on first use.</summary>
    public static LlmSession For(Runspace runspace) => Sessions.GetValue(runspace, _ => new LlmSession());

    /// <summary>The client for <paramref name="settings"/>, built on first use; <c>Reused</c> says it existed.</summary>
    public (ILlmClient Client, bool Reused) GetClient(LlmSettings settings)
    {
        var key = LlmClientFactory.ClientKey(settings);
        var reused = _clients.TryGetValue(key, out var existing);
        var lazy = existing ?? _clients.GetOrAdd(key, _ => new Lazy<ILlmClient>(() => LlmClientFactory.Create(settings)));
        try
        {
            return (lazy.Value, reused);
        }
        catch
        {
            _clients.TryRemove(key, out _); // why: a missing key today must not poison the session after it is set
            throw;
        }
    }
}
