using System.Text.Json;
using System.Text.Json.Serialization;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Caching;

/// <summary>
/// The model lists Get-LlmModel remembers, one small file per endpoint host under <c>&lt;cache&gt;/models/</c>, written
/// atomically and owner-only like the cache's entries, and read with the same trust checks (no links, no FIFOs, no
/// files of other users). Why in the cache folder: tab completion reads them without touching the network, and
/// Clear-LlmCache's entry listings never look there (they read only the two-hex shard folders).
/// </summary>
public static class ModelListFiles
{
    private const string Folder = "models";

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Replaces what is remembered for <paramref name="host"/> with <paramref name="models"/>.</summary>
    /// <exception cref="IOException">The folder cannot be trusted or written.</exception>
    public static void Remember(string cacheDirectory, string host, IReadOnlyList<ListedModel> models, DateTimeOffset listedAt)
    {
        if (FileTrust.FolderProblem(cacheDirectory) is { } problem)
        {
            throw new IOException(problem);
        }

        var folder = Path.Combine(cacheDirectory, Folder);
        CacheFiles.CreatePrivateDirectory(cacheDirectory);
        CacheFiles.CreatePrivateDirectory(folder);
        CacheFiles.WriteAtomic(PathOf(cacheDirectory, host), JsonSerializer.SerializeToUtf8Bytes(new RememberedList(host, listedAt, models), Json));
    }

    /// <summary>
    /// Every remembered list in <paramref name="cacheDirectory"/>; an unreadable or untrusted file is left out (it is
    /// replaced by the next Get-LlmModel), because a completer and a warning must never fail a command.
    /// </summary>
    public static IReadOnlyList<RememberedList> Recall(string cacheDirectory)
    {
        var folder = Path.Combine(cacheDirectory, Folder);
        if (!Directory.Exists(folder) || FileTrust.FolderProblem(cacheDirectory) is not null)
        {
            return [];
        }

        var lists = new List<RememberedList>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                if (CacheFiles.ReadAll(file) is { } bytes && JsonSerializer.Deserialize<RememberedList>(bytes, Json) is { Models: not null } list)
                {
                    lists.Add(list);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                // why silent: see the summary; the file is rewritten whole by the next listing
            }
        }

        return lists;
    }

    /// <summary>The file of <paramref name="host"/>: its name keeps letters, digits, dots and dashes (a port's colon becomes _).</summary>
    public static string PathOf(string cacheDirectory, string host) =>
        Path.Combine(cacheDirectory, Folder, new string(host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? char.ToLowerInvariant(c) : '_').ToArray()) + ".json");
}

/// <summary>One endpoint host's remembered model list.</summary>
/// <param name="Host">The endpoint host (and port).</param>
/// <param name="ListedAt">When Get-LlmModel listed it.</param>
/// <param name="Models">The models.</param>
public sealed record RememberedList(string Host, DateTimeOffset ListedAt, IReadOnlyList<ListedModel> Models);
