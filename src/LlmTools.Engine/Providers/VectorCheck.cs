namespace LlmTools.Engine.Providers;

/// <summary>
/// What an embeddings answer must be before anything of it is used or cached: one vector per input (by its index), all
/// of one length, and that length the one -Dimensions asked for. Why: a server that ignores "dimensions" or drops an
/// input would otherwise put wrong vectors in the cache under the key of the request that was asked.
/// </summary>
internal static class VectorCheck
{
    /// <summary>Null when <paramref name="vectors"/> (by input index; a hole is a missing vector) are usable, else what is wrong.</summary>
    public static string? Problem(float[]?[] vectors, int? dimensions)
    {
        var answered = vectors.Count(vector => vector is not null);
        if (answered != vectors.Length)
        {
            return $"{answered} of {vectors.Length} vectors (an index missing or out of range)";
        }

        var lengths = vectors.Select(vector => vector!.Length).Distinct().ToList();
        if (lengths.Count > 1)
        {
            return $"vectors of different lengths ({string.Join(", ", lengths)})";
        }

        if (lengths.Count == 1 && lengths[0] == 0)
        {
            return "empty vectors";
        }

        return dimensions is { } asked && lengths.Count == 1 && lengths[0] != asked
            ? $"vectors of {lengths[0]} numbers where -Dimensions asked for {asked} (the server or model ignores it)"
            : null;
    }
}
