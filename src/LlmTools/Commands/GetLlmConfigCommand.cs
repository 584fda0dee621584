using System.Management.Automation;
using LlmTools.Engine.Configuration;
using LlmTools.Output;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Shows the effective settings (provider, endpoint, model, key source, cache, ...) and which file or variable set each.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "LlmConfig", HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Get-LlmConfig.md")]
[OutputType(typeof(LlmConfigSetting))]
public sealed class GetLlmConfigCommand : LlmCmdletBase
{
    /// <summary>Only these settings (wildcards allowed), for example MODEL or CACHE_*.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Show the settings as they are for this provider (OpenAI or Azure) instead of API_TYPE's.</summary>
    [Parameter]
    [ValidateSet("OpenAI", "Azure", IgnoreCase = true)]
    public string? Provider { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        LlmSettings settings;
        try
        {
            settings = SettingsLoader.Load(ConfigSources(), new SettingsOverrides { Provider = Provider is null ? null : Enum.Parse<ProviderKind>(Provider, ignoreCase: true) });
        }
        catch (InvalidConfigurationException ex)
        {
            // why not stop: this is the command people run to find the bad value; it names it and shows the rest it can
            WriteError(Errors.LlmErrors.InvalidConfiguration(ex));
            settings = ResolveOfflineSettings();
        }

        var patterns = (Name ?? ["*"]).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var row in SettingsReport.Describe(settings, ConfigSources()))
        {
            if (patterns.Any(p => p.IsMatch(row.Name)))
            {
                WriteObject(new LlmConfigSetting { Name = row.Name, Value = row.Value, Source = row.Source });
            }
        }
    }
}
