using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Spending;

/// <summary>Standard-tier prices of one model, US dollars per 1 million tokens.</summary>
/// <param name="Input">Prompt tokens.</param>
/// <param name="CachedInput">Prompt tokens the provider served from its prompt cache; null: priced as <paramref name="Input"/>.</param>
/// <param name="Output">Completion tokens (reasoning tokens are part of them and priced alike).</param>
public sealed record ModelPrice(decimal Input, decimal? CachedInput, decimal Output)
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>What a call with <paramref name="usage"/> cost: cached prompt tokens at the cached price, the rest at the input price.</summary>
    public decimal CostOf(TokenUsage usage)
    {
        var cached = Math.Min(usage.CachedTokens ?? 0, usage.PromptTokens);
        return ((usage.PromptTokens - cached) * Input + cached * (CachedInput ?? Input) + usage.CompletionTokens * Output) / PerMillion;
    }

    /// <summary>The most <paramref name="promptTokens"/> and <paramref name="completionTokens"/> can cost (no prompt-cache discount).</summary>
    public decimal CostOf(long promptTokens, long completionTokens) => (promptTokens * Input + completionTokens * Output) / PerMillion;
}

/// <summary>What the module knows of a model: its price (null: unknown, never guessed), context window and longest answer.</summary>
/// <param name="Name">The catalog's name for it (a dated snapshot maps to its family: gpt-4o-2024-08-06 is gpt-4o).</param>
/// <param name="Price">Its prices, or null when unknown.</param>
/// <param name="ContextWindow">Prompt and completion tokens together, when known.</param>
/// <param name="MaxOutputTokens">The most completion tokens one answer may have, when known.</param>
/// <param name="PriceSource">Where the price came from: the shipped table (with its date) or a config file.</param>
/// <param name="Shutdown">The day the provider stops serving it (OpenAI's deprecations page, in the shipped table), when known.</param>
public sealed record ModelFacts(string Name, ModelPrice? Price, int? ContextWindow, int? MaxOutputTokens, string? PriceSource, DateOnly? Shutdown = null)
{
    /// <summary>
    /// The price at a service tier: flex is billed at half the standard price (the batch price), as OpenAI lists it;
    /// priority costs more by a rate the table does not hold, so it is unknown (null), never guessed.
    /// </summary>
    public ModelPrice? PriceFor(string? serviceTier) => serviceTier switch
    {
        "flex" when Price is { } p => new ModelPrice(p.Input / 2, p.CachedInput / 2, p.Output / 2),
        "priority" => null,
        _ => Price,
    };
}

/// <summary>
/// Prices and limits of known models: the table shipped as models.json beside the engine (its date and source in the
/// file), with [Prices] of config.ini winning per model. A model neither names is unknown: its cost is shown as
/// unknown, never guessed from a similar name.
/// </summary>
public sealed class ModelCatalog
{
    // why beside the engine assembly: the build copies it there (out/LlmTools/Dependencies), and engine tests find it too
    private static readonly string ShippedPath = Path.Combine(Path.GetDirectoryName(typeof(ModelCatalog).Assembly.Location) ?? AppContext.BaseDirectory, "models.json");

    // why once per process: the file ships with the module and does not change while it runs
    private static readonly Lazy<ModelCatalog> Shipped = new(() => Load(ShippedPath));

    // why: OpenAI's dated snapshots (gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, o3-2025-04-16) cost what their family costs
    private static readonly Regex SnapshotDate = new(@"-\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant);

    private readonly Dictionary<string, ModelFacts> _models;

    private ModelCatalog(Dictionary<string, ModelFacts> models, string? asOf, string? source)
    {
        _models = models;
        AsOf = asOf;
        Source = source;
    }

    /// <summary>The date of the shipped prices.</summary>
    public string? AsOf { get; }

    /// <summary>Where the shipped prices come from.</summary>
    public string? Source { get; }

    /// <summary>The shipped table with <paramref name="overrides"/> (from [Prices]) winning per model.</summary>
    public static ModelCatalog For(IReadOnlyDictionary<string, (ModelPrice Price, string Source)> overrides)
    {
        var shipped = Shipped.Value;
        if (overrides.Count == 0)
        {
            return shipped;
        }

        var models = new Dictionary<string, ModelFacts>(shipped._models, StringComparer.OrdinalIgnoreCase);
        foreach (var (model, (price, source)) in overrides)
        {
            models[model] = models.TryGetValue(model, out var known)
                ? known with { Price = price, PriceSource = source }
                : new ModelFacts(model, price, null, null, source);
        }

        return new ModelCatalog(models, shipped.AsOf, shipped.Source);
    }

    /// <summary>What is known of <paramref name="model"/> (a provider prefix such as openai/ and a snapshot date are looked through); null when nothing is.</summary>
    public ModelFacts? Find(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        if (_models.TryGetValue(model, out var facts))
        {
            return facts;
        }

        var name = model[(model.LastIndexOf('/') + 1)..];
        return _models.TryGetValue(name, out facts) || _models.TryGetValue(SnapshotDate.Replace(name, string.Empty), out facts) ? facts : null;
    }

    /// <summary>Parses one [Prices] value: "input, cached input, output" or "input, output" in US dollars per 1 million tokens; null when it is not that.</summary>
    public static ModelPrice? ParsePrice(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var numbers = parts.Select(p => decimal.TryParse(p, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : (decimal?)null).ToArray();
        return numbers.Any(n => n is null) ? null : numbers switch
        {
            [{ } input] => new ModelPrice(input, null, 0),
            [{ } input, { } output] => new ModelPrice(input, null, output),
            [{ } input, { } cached, { } output] => new ModelPrice(input, cached, output),
            _ => null,
        };
    }

    private static ModelCatalog Load(string path)
    {
        if (!File.Exists(path))
        {
            return new ModelCatalog(new Dictionary<string, ModelFacts>(StringComparer.OrdinalIgnoreCase), null, null);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var asOf = root.TryGetProperty("asOf", out var date) ? date.GetString() : null;
        var models = new Dictionary<string, ModelFacts>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in root.GetProperty("models").EnumerateObject())
        {
            var value = model.Value;
            decimal? Number(string name) => value.TryGetProperty(name, out var n) ? n.GetDecimal() : null;
            int? Whole(string name) => value.TryGetProperty(name, out var n) ? n.GetInt32() : null;
            var price = Number("input") is { } input ? new ModelPrice(input, Number("cachedInput"), Number("output") ?? 0) : null;
            var shutdown = value.TryGetProperty("shutdown", out var day) ? DateOnly.ParseExact(day.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) : (DateOnly?)null;
            models[model.Name] = new ModelFacts(model.Name, price, Whole("contextWindow"), Whole("maxOutputTokens"), price is null ? null : $"models.json of {asOf}", shutdown);
        }

        return new ModelCatalog(models, asOf, root.TryGetProperty("source", out var source) ? source.GetString() : null);
    }
}
