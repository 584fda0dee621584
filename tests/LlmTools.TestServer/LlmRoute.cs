namespace LlmTools.TestServer;

/// <summary>Which API a recorded request was aimed at.</summary>
public enum LlmRoute
{
    /// <summary>Any path the server does not serve (answered with 404).</summary>
    Other,

    /// <summary>Chat completions: /v1/chat/completions, /openai/v1/chat/completions or /openai/deployments/{d}/chat/completions.</summary>
    Chat,

    /// <summary>Embeddings: /v1/embeddings, /openai/v1/embeddings or /openai/deployments/{d}/embeddings.</summary>
    Embeddings,

    /// <summary>The Files and Batch API: /v1/files, /v1/batches and their Azure forms (see BatchEndpoints).</summary>
    Batch,
    /// <summary>The model list: GET /v1/models, /openai/v1/models or /openai/models (Azure's data-plane list).</summary>
    Models,

    /// <summary>The Responses API: POST /v1/responses or /openai/v1/responses.</summary>
    Responses,
}
