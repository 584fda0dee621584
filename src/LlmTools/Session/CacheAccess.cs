using System.Management.Automation;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Errors;

namespace LlmTools.Session;

/// <summary>Opens the response cache that the settings name, as every cmdlet that reads or writes it should.</summary>
internal static class CacheAccess
{
    /// <summary>The cache folder the settings name (already absolute: a relative CACHE_DIR is the PowerShell location's).</summary>
    public static FileResponseCache Open(LlmSettings settings) => new(settings.CacheDirectory, settings.CacheTtl);

    /// <summary>The entries that <paramref name="match"/> picks, oldest first; a folder that cannot be listed terminates the command.</summary>
    public static List<CacheEntryInfo> List(PSCmdlet cmdlet, FileResponseCache cache, Func<CacheEntryInfo, bool> match)
    {
        try
        {
            return cache.Enumerate().Where(match).OrderBy(entry => entry.Created).ThenBy(entry => entry.Key, StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cmdlet.ThrowTerminatingError(CacheErrors.ReadFailed(cache.DirectoryPath, ex));
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }
}
