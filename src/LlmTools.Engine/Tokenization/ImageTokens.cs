namespace LlmTools.Engine.Tokenization;

/// <summary>
/// The prompt tokens an image costs, by OpenAI's published rules ("Calculating costs" in the images and vision
/// guide, as of 2025-2026; not checked live here). Two rules:
/// tiles (gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3): low detail costs the base; otherwise the image is scaled to fit
/// 2048 x 2048, then its shortest side to 768, and each 512-pixel tile costs the tile price, plus the base;
/// patches (gpt-4.1-mini/nano, gpt-5-mini/nano, o4-mini): 32-pixel patches, at most 1,536 (scaled down to fit),
/// times the model's multiplier. A model of neither list is counted as gpt-4o, and says so.
/// </summary>
public static class ImageTokens
{
    private const int PatchSize = 32;
    private const int MaxPatches = 1536;

    // why longest prefix first: gpt-4o-mini is not gpt-4o, gpt-4.1-mini is not gpt-4.1
    private static readonly (string Prefix, Rule Rule)[] Rules =
    [
        ("gpt-4.1-mini", new Rule(Multiplier: 1.62)),
        ("gpt-4.1-nano", new Rule(Multiplier: 2.46)),
        ("gpt-5-mini", new Rule(Multiplier: 1.62)),
        ("gpt-5-nano", new Rule(Multiplier: 2.46)),
        ("o4-mini", new Rule(Multiplier: 1.72)),
        ("gpt-4o-mini", new Rule(Base: 2833, Tile: 5667)),
        ("gpt-4o", new Rule(Base: 85, Tile: 170)),
        ("gpt-4.1", new Rule(Base: 85, Tile: 170)),
        ("gpt-4.5", new Rule(Base: 85, Tile: 170)),
        ("gpt-5", new Rule(Base: 70, Tile: 140)),
        ("o1", new Rule(Base: 75, Tile: 150)),
        ("o3", new Rule(Base: 75, Tile: 150)),
    ];

    private static readonly Rule Fallback = new(Base: 85, Tile: 170);

    /// <summary>Tokens of a <paramref name="width"/> x <paramref name="height"/> image at <paramref name="detail"/> (low, high, auto or null) for <paramref name="model"/>.</summary>
    public static ImageTokenEstimate Estimate(string model, int width, int height, string? detail)
    {
        var match = Rules.FirstOrDefault(r => model.StartsWith(r.Prefix, StringComparison.OrdinalIgnoreCase));
        var rule = match.Rule ?? Fallback;
        var tokens = rule.Multiplier is { } multiplier
            ? (int)Math.Ceiling(Patches(width, height) * multiplier)
            : string.Equals(detail, "low", StringComparison.OrdinalIgnoreCase) ? rule.Base : rule.Base + (rule.Tile * Tiles(width, height));
        return new ImageTokenEstimate(tokens, KnownModel: match.Rule is not null);
    }

    /// <summary>512-pixel tiles after scaling to fit 2048 x 2048 and then the shortest side to 768 (never up).</summary>
    internal static int Tiles(int width, int height)
    {
        double w = width, h = height;
        var fit = Math.Min(1, 2048 / Math.Max(w, h));
        (w, h) = (w * fit, h * fit);
        var shortest = Math.Min(1, 768 / Math.Min(w, h));
        (w, h) = (w * shortest, h * shortest);
        return (int)(Math.Ceiling(w / 512) * Math.Ceiling(h / 512));
    }

    /// <summary>32-pixel patches covering the image, scaled down so that at most 1,536 fit.</summary>
    internal static int Patches(int width, int height)
    {
        var patches = Cover(width, height);
        if (patches <= MaxPatches)
        {
            return patches;
        }

        // why this shrink: the guide's own steps; scale to the patch budget, then so a whole number of patches fits the width or height
        var shrink = Math.Sqrt(PatchSize * PatchSize * MaxPatches / ((double)width * height));
        var across = width * shrink / PatchSize;
        var down = height * shrink / PatchSize;
        shrink *= Math.Min(Math.Floor(across) / across, Math.Floor(down) / down);
        return Math.Min(MaxPatches, Cover((int)(width * shrink), (int)(height * shrink)));
    }

    private static int Cover(double width, double height) => (int)(Math.Ceiling(width / PatchSize) * Math.Ceiling(height / PatchSize));

    private sealed record Rule(int Base = 0, int Tile = 0, double? Multiplier = null);
}

/// <summary>An image's prompt tokens, and whether its model's own rule gave them (else gpt-4o's).</summary>
/// <param name="Tokens">The tokens.</param>
/// <param name="KnownModel">False when the model has no published rule here and gpt-4o's was used.</param>
public sealed record ImageTokenEstimate(int Tokens, bool KnownModel);
