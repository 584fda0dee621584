namespace LlmTools.Engine.Configuration;

/// <summary>Environment variables the settings loader reads.</summary>
public static class EnvironmentVariables
{
    public const string OpenAIApiKey = "OPENAI_API_KEY";
    public const string OpenAIBaseUrl = "OPENAI_BASE_URL";
    public const string AzureEndpoint = "AZURE_OPENAI_ENDPOINT";
    public const string AzureApiKey = "AZURE_OPENAI_API_KEY";
    public const string AzureApiKeyTinyTroupe = "AZURE_OPENAI_KEY";
    public const string ConfigPath = "LLMTOOLS_CONFIG";
    public const string CacheDirectory = "LLMTOOLS_CACHE_DIR";
    public const string CacheMode = "LLMTOOLS_CACHE_MODE";
    public const string ApiType = "LLMTOOLS_API_TYPE";
    public const string Model = "LLMTOOLS_MODEL";
}
