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

    public ITextFeatureAccumulator Begin(torch.Tensor attentionMask) =>
        new Accumulator(new ProjectionAccumulator(_projection, 1.0, attentionMask), attentionMask);

    private sealed class Accumulator(ProjectionAccumulator projection, torch.Tensor attentionMask) : ITextFeatureAccumulator
    {
        public void Add(int index, torch.Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            var padded = attentionMask.to(x.device).to(torch.@bool).logical_not().unsqueeze(-1); // [B, L, 1]
            var lengths = attentionMask.to(x.device).sum(1).to(x.dtype).view(-1, 1, 1);
            var mean = x.masked_fill(padded, 0.0).sum([1L, 2L], keepdim: true) / (lengths * x.shape[2] + Eps);
            var min = x.masked_fill(padded, double.PositiveInfinity).amin([1L, 2L], keepdim: true);
            var max = x.masked_fill(padded, double.NegativeInfinity).amax([1L, 2L], keepdim: true);
            projection.Add(index, 8.0 * (x - mean) / (max - min + Eps));
        }

        public TextFeatures Finish()
        {
            var features = projection.Finish();
            return new TextFeatures(features, features.clone());
        }

        public void Dispose() => projection.Dispose();
    }

    public void Dispose() => _projection.Dispose();
}
