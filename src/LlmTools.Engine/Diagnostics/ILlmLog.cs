namespace LlmTools.Engine.Diagnostics;

/// <summary>
/// Where the engine reports what it does (retries, cache hits). Called from any thread; the cmdlet side
/// queues the lines and writes them on the pipeline thread. Lines never contain secrets.
/// </summary>
public interface ILlmLog
{
    void Verbose(string message);

    void Warning(string message);
}
