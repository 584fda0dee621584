using System.Collections.Concurrent;
using System.Management.Automation;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Session;

/// <summary>
/// Collects engine log lines from any thread; <see cref="Flush"/> writes them on the pipeline thread, the only
/// thread allowed to call Write*.
/// </summary>
internal sealed class PipelineLog : ILlmLog
{
    private readonly ConcurrentQueue<(bool IsWarning, string Message)> _lines = new();

    public void Verbose(string message) => _lines.Enqueue((false, message));

    public void Warning(string message) => _lines.Enqueue((true, message));

    public void Flush(Cmdlet cmdlet)
    {
        while (_lines.TryDequeue(out var line))
        {
            if (line.IsWarning)
            {
                cmdlet.WriteWarning(line.Message);
            }
            else
            {
                cmdlet.WriteVerbose(line.Message);
            }
        }
    }
}
