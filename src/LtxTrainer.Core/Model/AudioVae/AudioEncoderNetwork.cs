using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// The encoder network (ltx_core/model/audio_vae/audio_vae.py) with the checkpoint's module names: <c>conv_in</c>,
/// <c>down.{i}</c>,
/// <c>mid</c>, PixelNorm → SiLU → <c>conv_out</c>. Input log-mel [B, 2, T, mels]; output the raw
/// <c>conv_out</c> result [B, 2z, ceil(T/4), mels/4] (mean ‖ logvar when double_z).
/// </summary>
public sealed class AudioEncoderNetwork : nn.Module<Tensor, Tensor>
{
    private readonly CausalConv2d conv_in;
    private readonly ModuleList<ResolutionLevel> down = new();
    private readonly MidBlock mid;
    private readonly CausalConv2d conv_out;

    public AudioEncoderNetwork(AudioVaeConfig config) : base("encoder")
    {
        conv_in = new CausalConv2d("conv_in", config.InChannels, config.Ch, 3);
        bool attend = config.AttnType == "vanilla";
        int resolution = config.Resolution;
        long blockIn = config.Ch;
        for (int level = 0; level < config.Levels; level++)
        {
            long inCh = config.Ch * (level == 0 ? 1 : config.ChMult[level - 1]);
            long outCh = config.Ch * config.ChMult[level];
            bool last = level == config.Levels - 1;
            down.Add(ResolutionLevel.Encoder(inCh, outCh, config.NumResBlocks,
                attend && config.AttnResolutions.Contains(resolution), withDownsample: !last));
            blockIn = outCh;
            if (!last) resolution /= 2;
        }
        mid = new MidBlock(blockIn, attend && config.MidBlockAddAttention);
        conv_out = new CausalConv2d("conv_out", blockIn, config.DoubleZ ? 2 * config.ZChannels : config.ZChannels, 3);
        RegisterComponents();
    }

    /// <summary>conv_in, the down path and the mid block (the features before the output head).</summary>
    public Tensor Trunk(Tensor mel)
    {
        var h = conv_in.forward(mel);
        foreach (var level in down)
        {
            var next = level.forward(h);
            h.Dispose();
            h = next;
        }
        using (h)
            return mid.forward(h);
    }

    /// <summary>PixelNorm → SiLU → conv_out.</summary>
    public Tensor Head(Tensor trunk)
    {
        using var normed = PixelNorm.Apply(trunk);
        using var activated = nn.functional.silu(normed);
        return conv_out.forward(activated);
    }

    public override Tensor forward(Tensor mel)
    {
        using var trunk = Trunk(mel);
        return Head(trunk);
    }
}
