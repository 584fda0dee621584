namespace LlmTools.TestServer;

/// <summary>What a <see cref="Fault"/> does to the request it is applied to.</summary>
public enum FaultKind
{
    /// <summary>Answer with <see cref="Fault.StatusCode"/> and an OpenAI error body (after <see cref="Fault.Delay"/>).</summary>
    Error,

    /// <summary>Wait <see cref="Fault.Delay"/>, then answer normally.</summary>
    Slow,

    /// <summary>Abort the connection without any response (after <see cref="Fault.Delay"/>).</summary>
    Drop,

    /// <summary>Never answer: wait until the client disconnects or the server is disposed, then abort.</summary>
    Hang,

    /// <summary>Answer <see cref="Fault.StatusCode"/> with <see cref="Fault.Body"/> as it is (HTML, half a stream, a wrong JSON), then abort when <see cref="Fault.CutAfterBody"/>.</summary>
    Raw,
}
