using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// LTX-2.3 (22B) feature extractor: per token and per hidden state, RMS-normalize over the hidden
/// dimension; flatten to [B, L, hidden × states] with the state index fastest (flat index d·S + l); zero
/// padded tokens; rescale by √(out / hidden) and project (Linear with bias), separately for audio and video.
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
        using var scope = torch.NewDisposeScope();
        var normed = Normalize(hiddenStates, attentionMask);
        var audio = _audio.Forward(normed * Math.Sqrt((double)_audio.OutFeatures / _hidden));
        var video = _video?.Forward(normed * Math.Sqrt((double)_video.OutFeatures / _hidden));
        return new TextFeatures(audio.MoveToOuterDisposeScope(), video?.MoveToOuterDisposeScope());
    }

    private static torch.Tensor Normalize(torch.Tensor states, torch.Tensor mask)
    {
        long s = states.shape[0], b = states.shape[1], l = states.shape[2], h = states.shape[3];
        var stacked = states.permute(1, 2, 3, 0); // [B, L, hidden, S]
        var variance = stacked.pow(2).mean([2L], keepdim: true);
        var normed = (stacked * torch.rsqrt(variance + Eps)).reshape(b, l, h * s);
        var keep = mask.to(states.device).to(torch.@bool).unsqueeze(-1);
        return torch.where(keep, normed, torch.zeros(1, dtype: normed.dtype, device: normed.device));
    }

    public void Dispose()
    {
        _audio.Dispose();
        _video?.Dispose();
    }
}
