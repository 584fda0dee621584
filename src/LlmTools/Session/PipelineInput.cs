using System.Management.Automation;

namespace LlmTools.Session;

/// <summary>How a piped object is carried back on output objects (InputObject) and error records (TargetObject).</summary>
internal static class PipelineInput
{
    /// <summary>
    /// The object as the user knows it: strings, numbers and .NET objects unwrapped; a PSCustomObject (Import-Csv
    /// row, [pscustomobject]) kept wrapped, because its properties live on the PSObject, not on the base object.
    /// </summary>
    public static object? Unwrap(PSObject? item) => item?.BaseObject is PSCustomObject ? item : item?.BaseObject;
}
