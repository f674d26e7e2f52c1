using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// LTX-2 (19B) feature extractor: per sample and per hidden state, over the valid tokens and all hidden
/// dims, mean μ, min and max; Hn = 8·(H − μ)/(max − min + 1e-6); flatten with the state index fastest; zero
/// padded tokens; one projection (no bias in the real file) gives the same features for audio and video.
/// The mean divides by (valid tokens × hidden + 1e-6), as ltx-core's <c>norm_and_concat_padded_batch</c>.
/// </summary>
public sealed class FeatureExtractorV1 : ITextFeatureExtractor
{
    private const double Eps = 1e-6;
    private readonly AggregateProjection _projection;

    public FeatureExtractorV1(AggregateProjection projection) => _projection = projection;

    public string Variant => "V1";

    public int AudioDim => _projection.OutFeatures;

    public TextFeatures Extract(torch.Tensor hiddenStates, torch.Tensor attentionMask)
    {
        using var scope = torch.NewDisposeScope();
        long s = hiddenStates.shape[0], b = hiddenStates.shape[1], l = hiddenStates.shape[2], h = hiddenStates.shape[3];
        var x = hiddenStates.permute(1, 2, 3, 0); // [B, L, hidden, S]
        var valid = attentionMask.to(x.device).to(torch.@bool).view(b, l, 1, 1);
        var lengths = attentionMask.to(x.device).sum(1).to(x.dtype).view(b, 1, 1, 1);
        var mean = x.masked_fill(valid.logical_not(), 0.0).sum([1L, 2L], keepdim: true) / (lengths * h + Eps);
        var min = x.masked_fill(valid.logical_not(), double.PositiveInfinity).amin([1L, 2L], keepdim: true);
        var max = x.masked_fill(valid.logical_not(), double.NegativeInfinity).amax([1L, 2L], keepdim: true);
        var normed = (8.0 * (x - mean) / (max - min + Eps)).reshape(b, l, h * s);
        normed = normed.masked_fill(valid.view(b, l, 1).logical_not(), 0.0);
        var features = _projection.Forward(normed);
        var audio = features.MoveToOuterDisposeScope();
        return new TextFeatures(audio, audio.clone().MoveToOuterDisposeScope());
    }

    public void Dispose() => _projection.Dispose();
}
