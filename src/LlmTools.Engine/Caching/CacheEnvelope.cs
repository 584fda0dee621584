using System.Text.Json.Serialization;

namespace LlmTools.Engine.Caching;

/// <summary>A whole entry file: the header, then the cached answer.</summary>
internal sealed class CacheEnvelope<T> : CacheEnvelopeHeader
{
    // why: last in the file, so the metadata a person or a listing looks for comes first
    [JsonPropertyOrder(1)]
    public T? Payload { get; set; }

    [JsonIgnore]
    public override bool HasPayload => Payload is not null;
}
