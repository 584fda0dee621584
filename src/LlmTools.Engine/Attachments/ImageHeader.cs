using System.Buffers.Binary;

namespace LlmTools.Engine.Attachments;

/// <summary>An image's type and size from its first bytes: PNG, JPEG, WebP and GIF, the types the chat APIs read.</summary>
internal static class ImageHeader
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The media type and, when the header says, the size; null when the bytes are none of the four types.</summary>
    public static (string MediaType, (int Width, int Height)? Size)? Read(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature))
        {
            return ("image/png", data.Length >= 24 ? (BinaryPrimitives.ReadInt32BigEndian(data[16..]), BinaryPrimitives.ReadInt32BigEndian(data[20..])) : null);
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return ("image/gif", data.Length >= 10 ? (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..])) : null);
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ("image/jpeg", JpegSize(data));
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..].StartsWith("WEBP"u8))
        {
            return ("image/webp", WebPSize(data));
        }

        return null;
    }

    // why a scan: the size is in the first start-of-frame segment, after any number of others (EXIF, tables)
    private static (int, int)? JpegSize(ReadOnlySpan<byte> data)
    {
        var at = 2;
        while (at + 9 < data.Length && data[at] == 0xFF)
        {
            var marker = data[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            var isFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isFrame)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(data[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(at + 5)..]));
            }

            at += 2 + length;
        }

        return null;
    }

    private static (int, int)? WebPSize(ReadOnlySpan<byte> data)
    {
        if (data.Length < 30)
        {
            return null;
        }

        var chunk = data[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return (1 + (data[24] | data[25] << 8 | data[26] << 16), 1 + (data[27] | data[28] << 8 | data[29] << 16));
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        return chunk.SequenceEqual("VP8 "u8)
            ? (BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF)
            : null;
    }
}
