using System.Globalization;

namespace LlmTools.Output;

/// <summary>Sizes as people read them in messages ("3 entries (12.5 KB)").</summary>
internal static class ByteSize
{
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.CurrentCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.CurrentCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.CurrentCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };

    public static string Entries(int count, long bytes) => $"{count} cache {(count == 1 ? "entry" : "entries")} ({Format(bytes)})";
}
