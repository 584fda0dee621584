namespace LlmTools.TestServer;

/// <summary>Which family of paths a request came in on; decides auth and the reported model.</summary>
internal enum ApiFlavor
{
    /// <summary>/v1/...: Authorization: Bearer.</summary>
    OpenAI,

    /// <summary>/openai/deployments/{deployment}/...: api-key or Bearer; model = deployment.</summary>
    AzureDeployment,

    /// <summary>/openai/v1/...: api-key or Bearer; model from the body.</summary>
    AzureV1,
}
