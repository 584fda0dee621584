using System.Management.Automation;
using LlmTools.Engine.Attachments;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Tokenization;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>Measure-LlmTokens -Image: an image's prompt tokens by the provider's published rule.</summary>
public sealed partial class MeasureLlmTokensCommand
{
    private const string ImageSet = "Image";

    /// <summary>Images to count (paths or bytes), by OpenAI's published rule for the model.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ImageSet)]
    [ValidateNotNullOrEmpty]
    public object[] Image { get; set; } = [];

    /// <summary>The detail the image would be sent at: low, high or auto (counted as high).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateSet("low", "high", "auto", IgnoreCase = true)]
    public string? ImageDetail { get; set; }

    private void CountImages()
    {
        foreach (var item in ImageInputs.Items(Image))
        {
            try
            {
                if (item is string text && Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
                {
                    throw new LlmException(LlmErrorId.InvalidInput, $"'{text}' is fetched by the provider, so its size (and tokens) cannot be known offline; Send-LlmMessage counts such an image as a 2048 x 2048 one at high detail, the most it can cost.");
                }

                var image = ImageInputs.Read(item, ImageDetail, SessionState);
                var path = item switch { FileInfo info => info.FullName, string s when image.Data is not null && !s.StartsWith("data:", StringComparison.OrdinalIgnoreCase) => GetUnresolvedProviderPathFromPSPath(s), _ => null };
                if (image.Width is not { } width || image.Height is not { } height)
                {
                    throw new LlmException(LlmErrorId.InvalidInput, $"The size of {path ?? "the image"} cannot be read from its header, so its tokens cannot be counted.");
                }

                var estimate = ImageTokens.Estimate(_model ?? string.Empty, width, height, ImageDetail);
                if (!estimate.KnownModel)
                {
                    WriteWarning($"'{_model}' has no published image rule here; counted as gpt-4o (85 tokens, plus 170 per 512-pixel tile).");
                }

                WriteObject(new LlmTokenCount
                {
                    Tokens = estimate.Tokens,
                    Characters = 0,
                    Model = _model,
                    Encoding = "image",
                    Path = path,
                    Text = path is null ? $"{width} x {height} image" : null,
                });
            }
            catch (LlmException ex)
            {
                WriteError(LlmErrors.From(ex, item));
            }
        }
    }
}
