using System.Management.Automation;

namespace LlmTools.Session;

/// <summary>
/// Accepts only absolute http:// or https:// URLs. Why: PowerShell turns 'not a url' into a relative Uri and
/// 'localhost:11434/v1' into one with the scheme 'localhost'; both failed later, per item, with .NET's words.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ValidateHttpUrlAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var uri = (arguments is PSObject pso ? pso.BaseObject : arguments) as Uri;
        if (uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
        {
            return;
        }

        var text = uri?.OriginalString ?? arguments?.ToString() ?? string.Empty;
        var hint = text.Contains("://", StringComparison.Ordinal) ? string.Empty : $" Did you mean 'http://{text}'?";
        throw new ValidationMetadataException($"'{text}' is not an absolute http:// or https:// URL, such as http://localhost:11434/v1.{hint}");
    }
}
