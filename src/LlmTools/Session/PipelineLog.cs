using System.Collections.Concurrent;
using System.Management.Automation;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Session;

/// <summary>
/// Collects engine log lines from any thread; <see cref="Flush"/> writes them on the pipeline thread, the only
/// thread allowed to call Write*. Waits (retries, later quota waits) are verbose lines too, and besides: the first
/// of a run is also a warning, so a script that slows down says why without -Verbose, and each shows in the progress bar.
/// </summary>
internal sealed class PipelineLog : ILlmLog
{
    private readonly ConcurrentQueue<(LineKind Kind, string Message)> _lines = new();
    private bool _warnedOfWait;

    private enum LineKind
    {
        Verbose,
        Warning,
        Waiting,
    }

    /// <summary>The run's progress bar, when the cmdlet shows one; waits appear in its status.</summary>
    public RunProgress? Progress { get; set; }

    public void Verbose(string message) => _lines.Enqueue((LineKind.Verbose, message));

    public void Warning(string message) => _lines.Enqueue((LineKind.Warning, message));

    public void Waiting(string message, TimeSpan delay) => _lines.Enqueue((LineKind.Waiting, message));

    public void Flush(Cmdlet cmdlet)
    {
        while (_lines.TryDequeue(out var line))
        {
            switch (line.Kind)
            {
                case LineKind.Warning:
                    cmdlet.WriteWarning(line.Message);
                    break;
                case LineKind.Waiting:
                    if (!_warnedOfWait)
                    {
                        _warnedOfWait = true;
                        cmdlet.WriteWarning($"{line.Message} Later retries and waits of this run are shown with -Verbose and in the progress bar.");
                    }

                    cmdlet.WriteVerbose(line.Message); // why every one: -Verbose keeps the whole story, the first included
                    Progress?.Waiting(cmdlet, line.Message);
                    break;
                default:
                    cmdlet.WriteVerbose(line.Message);
                    break;
            }
        }
    }
}
