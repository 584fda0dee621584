namespace LlmTools.Engine.Configuration;

/// <summary>Which wire dialect and authentication the client speaks.</summary>
public enum ProviderKind
{
    /// <summary>OpenAI, or any OpenAI-compatible server (Ollama, vLLM, LM Studio, LiteLLM, Azure's /openai/v1/).</summary>
    OpenAI,

    /// <summary>Azure OpenAI deployments (api-version, api-key or Microsoft Entra ID).</summary>
    Azure,
}
