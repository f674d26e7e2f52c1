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
        var padded = attentionMask.to(hiddenStates.device).to(torch.@bool).logical_not().unsqueeze(-1); // [B, L, 1]
        long hidden = hiddenStates.shape[3];
        var lengths = attentionMask.to(hiddenStates.device).sum(1).to(hiddenStates.dtype).view(-1, 1, 1);
        torch.Tensor Normalized(int l)
        {
            using var inner = torch.NewDisposeScope();
            var x = hiddenStates[l]; // [B, L, hidden]
            var mean = x.masked_fill(padded, 0.0).sum([1L, 2L], keepdim: true) / (lengths * hidden + Eps);
            var min = x.masked_fill(padded, double.PositiveInfinity).amin([1L, 2L], keepdim: true);
            var max = x.masked_fill(padded, double.NegativeInfinity).amax([1L, 2L], keepdim: true);
            return (8.0 * (x - mean) / (max - min + Eps)).MoveToOuterDisposeScope();
        }
        var audio = _projection.ForwardStateWise((int)hiddenStates.shape[0], Normalized, 1.0, attentionMask);
        return new TextFeatures(audio.MoveToOuterDisposeScope(), audio.clone().MoveToOuterDisposeScope());
    }

    public void Dispose() => _projection.Dispose();
}
