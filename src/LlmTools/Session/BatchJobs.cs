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

    /// <summary>Writes <paramref name="job"/> to <paramref name="path"/> as CliXml (what Import-Clixml reads too).</summary>
    public static void Save(LlmBatchJob job, string path) => File.WriteAllText(path, PSSerializer.Serialize(job, FileDepth));

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
