using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// LTX-2.3 (22B) feature extractor: per token and per hidden state, RMS-normalize over the hidden
/// dimension; flatten to [B, L, hidden × states] with the state index fastest (flat index d·S + l); zero
/// padded tokens; rescale by √(out / hidden) and project (Linear with bias), separately for audio and video.
/// The flattening is never materialized: see <see cref="AggregateProjection.ForwardStateWise"/>.
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

    public TextFeatures Extract(torch.Tensor hiddenStates, torch.Tensor attentionMask)
    {
        int states = (int)hiddenStates.shape[0];
        torch.Tensor Normalized(int l) => Normalize(hiddenStates[l]);
        var audio = _audio.ForwardStateWise(states, Normalized, Math.Sqrt((double)_audio.OutFeatures / _hidden), attentionMask);
        var video = _video?.ForwardStateWise(states, Normalized, Math.Sqrt((double)_video.OutFeatures / _hidden), attentionMask);
        return new TextFeatures(audio, video);
    }

    // One hidden state [B, L, hidden], RMS-normalized per token over the hidden dimension.
    private static torch.Tensor Normalize(torch.Tensor state)
    {
        using var scope = torch.NewDisposeScope();
        var variance = state.pow(2).mean([-1L], keepdim: true);
        return (state * torch.rsqrt(variance + Eps)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _audio.Dispose();
        _video?.Dispose();
    }
}
