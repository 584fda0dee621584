namespace LlmTools.Engine.Caching;

/// <summary>
/// What an entry says about itself, for listing and filtering (Get-LlmCache, Clear-LlmCache). Never put a
/// secret here: no API key, no header, no URL with credentials.
/// </summary>
/// <param name="Kind">"chat" or "embedding" (<see cref="CacheKinds"/>).</param>
/// <param name="Model">Model or Azure deployment name.</param>
/// <param name="Provider">"OpenAI" or "Azure" (<see cref="Configuration.ProviderKind"/> as text).</param>
/// <param name="EndpointHost">Host (and port) of the endpoint only; a full URL is reduced to its host.</param>
/// <param name="Preview">The start of the input, for listings; the cache keeps its first 80 characters.</param>
public sealed record CacheEntryMetadata(
    string Kind,
    string Model,
    string Provider,
    string? EndpointHost = null,
    string? Preview = null);
