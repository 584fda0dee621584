namespace LlmTools.HelpGen;

/// <summary>A problem in a help file or in the cmdlets it documents; it fails the build.</summary>
/// <remarks>Printed in MSBuild's canonical form, <c>file(line): error LLMHELP: message</c>, so the build names it.</remarks>
public sealed record HelpError(string File, int Line, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}({Line}): error LLMHELP: {Message}" : $"{File}: error LLMHELP: {Message}";
}
