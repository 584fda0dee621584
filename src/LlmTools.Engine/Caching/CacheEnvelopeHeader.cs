using System.Text.Json.Serialization;

namespace LlmTools.Engine.Caching;

/// <summary>
/// The metadata part of an entry file. Listing reads only this (the serializer skips the payload, but still
/// checks the whole file is well-formed JSON, so a truncated file is caught).
/// </summary>
/// <remarks>
/// File format 1, one JSON object, camelCase: format, key, kind, model, provider, endpointHost, created (ISO 8601
/// UTC), preview, then payload (the answer). Nothing secret is ever written.
/// </remarks>
internal class CacheEnvelopeHeader
{
    public const int CurrentFormat = 1;

    public int Format { get; set; }

    public string? Key { get; set; }

    public string? Kind { get; set; }

    public string? Model { get; set; }

    public string? Provider { get; set; }

    public string? EndpointHost { get; set; }

    public DateTimeOffset? Created { get; set; }

    public string? Preview { get; set; }

    [JsonIgnore]
    public virtual bool HasPayload => true;

    /// <summary>Null when the header belongs to <paramref name="expectedKey"/> and is complete; else what is wrong.</summary>
    public string? Problem(string expectedKey)
    {
        if (Format != CurrentFormat)
        {
            return Format == 0 ? "no format version" : $"format version {Format} is not supported (expected {CurrentFormat})";
        }

        if (!string.Equals(Key, expectedKey, StringComparison.Ordinal))
        {
            return "the key inside does not match the file name";
        }

        if (string.IsNullOrEmpty(Kind) || string.IsNullOrEmpty(Model) || string.IsNullOrEmpty(Provider) || Created is null)
        {
            return "kind, model, provider or created is missing";
        }

        return HasPayload ? null : "no payload";
    }

    public CacheEntryMetadata ToMetadata() => new(Kind!, Model!, Provider!, EndpointHost, Preview);
}
