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
        var hint = HttpGuess(text) is { } guess ? $" Did you mean '{guess}'?" : string.Empty;
        throw new ValidationMetadataException($"'{text}' is not an absolute http:// or https:// URL, such as http://localhost:11434/v1.{hint}");
    }

    /// <summary>
    /// 'http://' + <paramref name="text"/> when that is a URL with a host (localhost:11434/v1), else null. Why: for
    /// 'not a url' or '/v1' the guess would be no URL either.
    /// </summary>
    internal static string? HttpGuess(string text) =>
        !text.Contains("://", StringComparison.Ordinal) && !text.Any(char.IsWhiteSpace) && !text.StartsWith('/')
        && Uri.TryCreate("http://" + text, UriKind.Absolute, out var guess) && guess.Host.Length > 0
            ? "http://" + text
            : null;
}
