using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmTools.Engine.Pacing;

/// <summary>What one answer said about one rate limit (requests or tokens); each part may be missing.</summary>
/// <param name="Limit">The limit per minute (x-ratelimit-limit-*).</param>
/// <param name="Remaining">What is left of it now (x-ratelimit-remaining-*).</param>
/// <param name="Reset">How long until it is whole again (x-ratelimit-reset-*).</param>
public readonly record struct QuotaReading(double? Limit, double? Remaining, TimeSpan? Reset)
{
    /// <summary>True when the answer said anything about this limit.</summary>
    public bool IsKnown => Limit is not null || Remaining is not null;
}

/// <summary>
/// The rate-limit headers of one answer, success or refusal: OpenAI sends
/// <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c>; Azure OpenAI sends the remaining ones (newer
/// resources the limits too). Parsed here and nowhere else.
/// </summary>
/// <param name="Requests">The request limit.</param>
/// <param name="Tokens">The token limit.</param>
public sealed record RateLimitSnapshot(QuotaReading Requests, QuotaReading Tokens)
{
    /// <summary>The snapshot in <paramref name="header"/> (a header's value by name, or null), or null when the answer had none.</summary>
    public static RateLimitSnapshot? From(Func<string, string?> header)
    {
        var snapshot = new RateLimitSnapshot(Read(header, "requests"), Read(header, "tokens"));
        return snapshot.Requests.IsKnown || snapshot.Tokens.IsKnown ? snapshot : null;
    }

    private static QuotaReading Read(Func<string, string?> header, string dimension) => new(
        Number(header($"x-ratelimit-limit-{dimension}")),
        Number(header($"x-ratelimit-remaining-{dimension}")),
        ProviderDuration.Parse(header($"x-ratelimit-reset-{dimension}")));

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0 ? value : null;
}

/// <summary>
/// Durations as providers write them: Go style in OpenAI's reset headers ("1s", "6m0s", "20ms", "1h2m3.5s"), plain
/// seconds ("0.5"), and the "Please try again in 1.234s" hint of a 429 body.
/// </summary>
public static partial class ProviderDuration
{
    // why a cap: a server may say "Infinity" or 1e300; nothing we would wait for is longer than a week
    private static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    /// <summary>The duration in <paramref name="text"/>, or null when it is not one.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromSeconds(seconds);
        }

        var match = GoDuration().Match(text);
        if (!match.Success)
        {
            return null;
        }

        double total = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789.".ToCharArray());
            var amount = double.Parse(part.Value[..^unit.Length], CultureInfo.InvariantCulture);
            total += amount * unit switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 1e-3,
                "us" or "µs" => 1e-6,
                _ => 1e-9, // ns
            };
        }

        return FromSeconds(total);
    }

    /// <summary>The wait in OpenAI's 429 message ("... Please try again in 20s." / "in 1.5s" / "in 6ms"), or null.</summary>
    public static TimeSpan? TryAgainIn(string? message) =>
        message is not null && TryAgainHint().Match(message) is { Success: true } hint ? Parse(hint.Groups["duration"].Value) : null;

    private static TimeSpan? FromSeconds(double seconds) =>
        double.IsNaN(seconds) || seconds < 0 ? null : seconds >= Longest.TotalSeconds ? Longest : TimeSpan.FromSeconds(seconds);

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"try again in (?<duration>(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TryAgainHint();
}
