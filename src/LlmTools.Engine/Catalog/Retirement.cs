using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Spending;

namespace LlmTools.Engine.Catalog;

/// <summary>
/// When a model stops being served, and the warning for one that stops soon. Sources, first wins: the provider's own
/// date in the remembered model list of the endpoint (Azure's deprecation.inference), then the shipped table
/// (models.json, from OpenAI's deprecations page).
/// </summary>
public static class Retirement
{
    /// <summary>How far ahead a shutdown is warned of.</summary>
    public static readonly TimeSpan WarnWithin = TimeSpan.FromDays(90);

    /// <summary>
    /// The shipped table's shutdown day of <paramref name="model"/>, as midnight UTC; null when it names none, or when
    /// the provider is not OpenAI. Why: the table is OpenAI's deprecations page; an Azure deployment of the same name
    /// follows Azure's own retirement schedule (which its model list says).
    /// </summary>
    public static DateTimeOffset? ShippedShutdown(string model, ModelCatalog catalog, LlmSettings settings) =>
        settings.Provider == ProviderKind.OpenAI && catalog.Find(model)?.Shutdown is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>The shutdown of <paramref name="model"/> at the endpoint <paramref name="settings"/> name, when any source knows it.</summary>
    public static DateTimeOffset? ShutdownOf(string model, LlmSettings settings)
    {
        var host = ProviderEndpoint.From(settings).Host;
        var remembered = ModelListFiles.Recall(settings.CacheDirectory)
            .Where(list => string.Equals(list.Host, host, StringComparison.OrdinalIgnoreCase))
            .SelectMany(list => list.Models)
            .FirstOrDefault(m => string.Equals(m.Id, model, StringComparison.OrdinalIgnoreCase) && m.Shutdown is not null);
        return remembered?.Shutdown ?? ShippedShutdown(model, ModelCatalog.For(settings.Prices), settings);
    }

    /// <summary>The warning for <paramref name="model"/> when its shutdown is at most <see cref="WarnWithin"/> after <paramref name="now"/> (or past); else null.</summary>
    public static string? Warning(string model, DateTimeOffset? shutdown, DateTimeOffset now)
    {
        if (shutdown is not { } day || day - now > WarnWithin)
        {
            return null;
        }

        var date = day.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return day <= now
            ? $"'{model}' was to be shut down by its provider on {date}; requests to it may fail. Choose another model (Get-LlmModel lists them)."
            : $"'{model}' will be shut down by its provider on {date}, in {Math.Ceiling((day - now).TotalDays):0} day(s). Move to another model before then (Get-LlmModel lists them).";
    }

    /// <summary>
    /// The warning for the model a command uses, from every source (see <see cref="ShutdownOf"/>), and the key it is
    /// shown once under (model and date: the text's day count changes at every midnight); null when none is due.
    /// </summary>
    public static (string Warning, string Key)? WarningFor(string model, LlmSettings settings) =>
        ShutdownOf(model, settings) is { } day && Warning(model, day, DateTimeOffset.UtcNow) is { } warning ? (warning, $"shutdown {model} {day:yyyy-MM-dd}") : null;
}
