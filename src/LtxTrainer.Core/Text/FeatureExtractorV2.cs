using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// LTX-2.3 (22B) feature extractor: per token and per hidden state, RMS-normalize over the hidden
/// dimension; flatten to [B, L, hidden × states] with the state index fastest (flat index d·S + l); zero
/// padded tokens; rescale by √(out / hidden) and project (Linear with bias), separately for audio and video.
/// The flattening is never materialized: see <see cref="ProjectionAccumulator"/>.
/// </summary>
public sealed class FeatureExtractorV2 : ITextFeatureExtractor
{
    private const double Eps = 1e-6;
    private readonly AggregateProjection _audio;
    private readonly AggregateProjection? _video;
    private readonly int _hidden;

    public FeatureExtractorV2(AggregateProjection audio, AggregateProjection? video, int gemmaHiddenSize)
    {
        _audio = audio;
        _video = video;
        _hidden = gemmaHiddenSize;
    }

    public string Variant => "V2";

    public int AudioDim => _audio.OutFeatures;

    public ITextFeatureAccumulator Begin(torch.Tensor attentionMask) => new Accumulator(
        new ProjectionAccumulator(_audio, Math.Sqrt((double)_audio.OutFeatures / _hidden), attentionMask),
        _video is null ? null : new ProjectionAccumulator(_video, Math.Sqrt((double)_video.OutFeatures / _hidden), attentionMask));

    private sealed class Accumulator(ProjectionAccumulator audio, ProjectionAccumulator? video) : ITextFeatureAccumulator
    {
        public void Add(int index, torch.Tensor state)
        {
            using var scope = torch.NewDisposeScope();
            var normalized = state * torch.rsqrt(state.pow(2).mean([-1L], keepdim: true) + Eps);
            audio.Add(index, normalized);
            video?.Add(index, normalized);
        }

        public TextFeatures Finish() => new(audio.Finish(), video?.Finish());

        public void Dispose()
        {
            audio.Dispose();
            video?.Dispose();
        }
    }

    public void Dispose()
    {
        _audio.Dispose();
        _video?.Dispose();
    }
}
