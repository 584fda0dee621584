using System.Management.Automation;
using System.Net;
using System.Security;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Session;

/// <summary>
/// The API key from a SecretManagement vault, when API_KEY_SECRET names a secret and no key was given otherwise.
/// Why here and not in the engine: Get-Secret is a PowerShell command, and the engine has no PowerShell.
/// </summary>
internal static class VaultKey
{
    /// <summary>
    /// <paramref name="settings"/> with the key read through Get-Secret, or as they are when a key is set already or
    /// no secret is named. A failure is an <see cref="LlmException"/> that names the secret, never its value.
    /// </summary>
    public static LlmSettings Apply(LlmSettings settings, CommandInvocationIntrinsics commands)
    {
        if (settings.ApiKey is not null || settings.ApiKeySecretName is not { } name || settings.IsReplay)
        {
            return settings;
        }

        var getSecret = commands.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function)
            ?? throw new LlmException(
                LlmErrorId.ApiKeyMissing,
                $"API_KEY_SECRET names the secret '{name}', but Get-Secret is not available. Install-Module Microsoft.PowerShell.SecretManagement (and a vault), or set the key another way.");
        try
        {
            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddCommand(getSecret).AddParameter("Name", name);
            var found = ps.Invoke().FirstOrDefault()?.BaseObject;
            if (ps.Streams.Error.FirstOrDefault() is { } error)
            {
                throw Missing(name, error.CategoryInfo.Reason);
            }

            var value = found switch
            {
                SecureString secure => new NetworkCredential(string.Empty, secure).Password,
                string plain => plain,
                _ => null,
            };
            return string.IsNullOrWhiteSpace(value)
                ? throw Missing(name, "it is empty or not a string")
                : settings with { ApiKey = new ApiSecret(value) { Source = $"secret '{name}' (Get-Secret)" } };
        }
        catch (RuntimeException ex)
        {
            // why only the kind of failure: the vault's own text is not ours to vouch for (it might echo what it read)
            throw Missing(name, ex.ErrorRecord?.CategoryInfo.Reason is { Length: > 0 } reason && reason != nameof(ParentContainsErrorRecordException) ? reason : ex.GetType().Name);
        }
    }

    private static LlmException Missing(string name, string why) => new(
        LlmErrorId.ApiKeyMissing,
        $"Cannot read the API key from the secret '{name}' named by API_KEY_SECRET ({why}). Check it with Get-Secret -Name '{name}'.");
}
