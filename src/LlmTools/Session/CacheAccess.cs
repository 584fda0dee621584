using System.Management.Automation;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Errors;

namespace LlmTools.Session;

/// <summary>Opens the response cache that the settings name, as every cmdlet that reads or writes it should.</summary>
internal static class CacheAccess
{
    /// <summary>
    /// The cache of <paramref name="settings"/>. Why not just <c>new FileResponseCache(settings.CacheDirectory)</c>:
    /// .NET resolves a relative path against the process's directory, which Set-Location never changes; a
    /// relative CACHE_DIR means the PowerShell location, as it would for any other cmdlet.
    /// </summary>
    public static FileResponseCache Open(PSCmdlet cmdlet, LlmSettings settings)
    {
        var directory = settings.CacheDirectory;
        if (!Path.IsPathRooted(directory))
        {
            directory = Path.Combine(cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath, directory);
        }

        return new FileResponseCache(directory, settings.CacheTtl);
    }

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
