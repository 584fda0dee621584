using System.Management.Automation;

namespace LlmTools.Tests.Hosting;

/// <summary>Everything one script wrote, stream by stream.</summary>
public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<InformationRecord> Information,
    Exception? Terminating,
    IReadOnlyList<ProgressRecord>? Progress = null,
    IReadOnlyList<DebugRecord>? Debug = null)
{
    /// <summary>The base objects of the output, cast.</summary>
    public IReadOnlyList<T> Objects<T>() => Output.Select(o => (T)o.BaseObject).ToList();

    /// <summary>Every text a user could see: output, errors, warnings, verbose, information, terminating error.</summary>
    public string AllText() => string.Join(
        "\n",
        Output.Select(o => o?.ToString())
            .Concat(Errors.Select(e => e.ToString() + " " + e.Exception))
            .Concat(Warnings.Select(w => w.Message))
            .Concat(Verbose.Select(v => v.Message))
            .Concat(Information.Select(i => i.MessageData?.ToString()))
            .Append(Terminating?.ToString()));

    public string ErrorIds() => string.Join(",", Errors.Select(e => e.FullyQualifiedErrorId));
}
