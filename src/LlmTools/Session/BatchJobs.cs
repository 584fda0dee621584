using System.Collections;
using System.Management.Automation;
using LlmTools.Engine.Diagnostics;
using LlmTools.Output;

namespace LlmTools.Session;

/// <summary>
/// Batch job objects in and out: the live <see cref="LlmBatchJob"/>, the deserialized object Import-Clixml gives back
/// (a property bag whose arrays are ArrayLists), and the job file of -JobFile (the same CliXml, so the two agree).
/// </summary>
internal static class BatchJobs
{
    // why 5: a job's parallel arrays sit one level down, and a piped CSV row or object two or three more
    private const int FileDepth = 5;

    /// <summary>
    /// Writes <paramref name="job"/> to <paramref name="path"/> as CliXml (what Import-Clixml reads too), through a
    /// temporary file in the same folder and a rename, so a crash never leaves half a job file. A failure is a
    /// FileWriteFailed LlmException that names the path.
    /// </summary>
    public static void Save(LlmBatchJob job, string path)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            File.WriteAllText(temp, PSSerializer.Serialize(job, FileDepth));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite); // why: it holds the input rows, private as the cache's entries are
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new LlmException(LlmErrorId.FileWriteFailed, $"Cannot write the batch job file '{path}': {ex.Message}");
        }
    }

    /// <summary>
    /// Fails (FileWriteFailed) when <paramref name="path"/> cannot be written, before any batch is created: a job whose
    /// file cannot be saved must not leave paid batches behind that nobody can receive.
    /// </summary>
    public static void CheckWritable(string path)
    {
        if (Directory.Exists(path) || path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new LlmException(LlmErrorId.FileWriteFailed, $"The batch job file '{path}' is a folder; give a file's path (e.g. {Path.Combine(path, "job.xml")}). Nothing was uploaded.");
        }

        // why refused: the file there may be the only record of a job still running (and paid for)
        if (File.Exists(path))
        {
            throw new LlmException(LlmErrorId.FileWriteFailed, $"The batch job file '{path}' exists (an earlier job?); remove it or give another -JobFile. Nothing was uploaded.");
        }

        var probe = path + ".probe-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            File.WriteAllText(probe, string.Empty);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LlmException(LlmErrorId.FileWriteFailed, $"Cannot write the batch job file '{path}': {ex.Message} Nothing was uploaded.");
        }
        finally
        {
            TryDelete(probe);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // why: best effort; a leftover probe or temp file is harmless
        }
    }

    /// <summary>Reads a job file written by -JobFile or Export-Clixml.</summary>
    public static LlmBatchJob Load(string path)
    {
        object? read;
        try
        {
            read = PSSerializer.Deserialize(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Xml.XmlException or PSArgumentException)
        {
            throw new LlmException(LlmErrorId.FileReadFailed, $"Cannot read the batch job file '{path}': {ex.Message}");
        }

        return From(read) ?? throw new LlmException(LlmErrorId.InvalidInput, $"'{path}' holds no LlmBatchJob.");
    }

    /// <summary>The job <paramref name="value"/> is or was (deserialized); null when it is neither.</summary>
    public static LlmBatchJob? From(object? value)
    {
        var pso = value as PSObject;
        if ((pso?.BaseObject ?? value) is LlmBatchJob live)
        {
            return live;
        }

        if (pso is null || pso.Properties["BatchIds"] is null || pso.Properties["CacheKeys"] is null)
        {
            return null;
        }

        return new LlmBatchJob
        {
            Kind = Str(pso, nameof(LlmBatchJob.Kind)) ?? string.Empty,
            Provider = Str(pso, nameof(LlmBatchJob.Provider)) ?? string.Empty,
            Endpoint = Str(pso, nameof(LlmBatchJob.Endpoint)) ?? string.Empty,
            ApiVersion = Str(pso, nameof(LlmBatchJob.ApiVersion)),
            Model = Str(pso, nameof(LlmBatchJob.Model)) ?? string.Empty,
            Dimensions = LanguagePrimitives.ConvertTo<int?>(Value(pso, nameof(LlmBatchJob.Dimensions))),
            ParsesJson = LanguagePrimitives.IsTrue(Value(pso, nameof(LlmBatchJob.ParsesJson))),
            MergeInput = LanguagePrimitives.IsTrue(Value(pso, nameof(LlmBatchJob.MergeInput))),
            UsesCache = LanguagePrimitives.IsTrue(Value(pso, nameof(LlmBatchJob.UsesCache))),
            Submitted = LanguagePrimitives.ConvertTo<DateTime>(Value(pso, nameof(LlmBatchJob.Submitted))),
            Sent = LanguagePrimitives.ConvertTo<int>(Value(pso, nameof(LlmBatchJob.Sent))),
            BatchIds = Items(pso, nameof(LlmBatchJob.BatchIds)).Select(v => LanguagePrimitives.ConvertTo<string>(v)).ToArray(),
            BatchStarts = Items(pso, nameof(LlmBatchJob.BatchStarts)).Select(v => LanguagePrimitives.ConvertTo<int>(v)).ToArray(),
            InputFileIds = Items(pso, nameof(LlmBatchJob.InputFileIds)).Select(v => LanguagePrimitives.ConvertTo<string>(v)).ToArray(),
            CacheKeys = Items(pso, nameof(LlmBatchJob.CacheKeys)).Select(v => v is null ? null : LanguagePrimitives.ConvertTo<string>(v)).ToArray(),
            FromCache = Items(pso, nameof(LlmBatchJob.FromCache)).Select(LanguagePrimitives.IsTrue).ToArray(),
            CachedAnswers = Items(pso, nameof(LlmBatchJob.CachedAnswers)).Select(item => item?.ToString()).ToArray(),
            Texts = Items(pso, nameof(LlmBatchJob.Texts)).Select(v => LanguagePrimitives.ConvertTo<string>(v) ?? string.Empty).ToArray(),
            InputObjects = Items(pso, nameof(LlmBatchJob.InputObjects)).ToArray(),
        };
    }

    private static object? Value(PSObject pso, string name)
    {
        var value = pso.Properties[name]?.Value;
        return value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
    }

    private static string? Str(PSObject pso, string name) => Value(pso, name) is { } v ? LanguagePrimitives.ConvertTo<string>(v) : null;

    private static IEnumerable<object?> Items(PSObject pso, string name) => Value(pso, name) switch
    {
        null => [],
        string text => [text],
        IEnumerable items => items.Cast<object?>(),
        var one => [one],
    };
}
