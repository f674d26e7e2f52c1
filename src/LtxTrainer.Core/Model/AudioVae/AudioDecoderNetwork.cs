using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// The decoder network (ltx_core/model/audio_vae/audio_vae.py) with the checkpoint's module names: <c>conv_in</c>,
/// <c>mid</c>,
/// <c>up.{i}</c> run from the deepest level to level 0 (each with num_res_blocks + 1 blocks and an
/// upsample except level 0), PixelNorm → SiLU → <c>conv_out</c>. Input a de-normalised latent
/// [B, z, L, mels/4]; output the raw conv_out result (shape fixed up by <see cref="AudioVaeDecoder"/>).
/// </summary>
public sealed class AudioDecoderNetwork : nn.Module<Tensor, Tensor>
{
    private readonly CausalConv2d conv_in;
    private readonly MidBlock mid;
    private readonly ModuleList<ResolutionLevel> up = new();
    private readonly CausalConv2d conv_out;

    public AudioDecoderNetwork(AudioVaeConfig config) : base("decoder")
    {
        bool attend = config.AttnType == "vanilla";
        long blockIn = config.BottleneckChannels;
        conv_in = new CausalConv2d("conv_in", config.ZChannels, blockIn, 3);
        mid = new MidBlock(blockIn, attend && config.MidBlockAddAttention);
        // Built deepest first (that is the order the channel counts chain in), stored by level index.
        var levels = new ResolutionLevel[config.Levels];
        int resolution = config.Resolution >> (config.Levels - 1);
        for (int level = config.Levels - 1; level >= 0; level--)
        {
            long outCh = config.Ch * config.ChMult[level];
            levels[level] = ResolutionLevel.Decoder(blockIn, outCh, config.NumResBlocks + 1,
                attend && config.AttnResolutions.Contains(resolution), withUpsample: level != 0);
            blockIn = outCh;
            if (level != 0) resolution *= 2;
        }
        foreach (var l in levels) up.Add(l);
        conv_out = new CausalConv2d("conv_out", blockIn, config.OutCh, 3);
        RegisterComponents();
    }

    /// <summary>conv_in and the mid block.</summary>
    public Tensor Trunk(Tensor latent)
    {
        using var h = conv_in.forward(latent);
        return mid.forward(h);
    }

    /// <summary>The up path (deepest level first) and the output head.</summary>
    public Tensor Head(Tensor trunk)
    {
        var h = up[up.Count - 1].forward(trunk);
        for (int level = up.Count - 2; level >= 0; level--)
        {
            var next = up[level].forward(h);
            h.Dispose();
            h = next;
        }
        using (h)
        using (var normed = PixelNorm.Apply(h))
        using (var activated = nn.functional.silu(normed))
            return conv_out.forward(activated);
    }

    public override Tensor forward(Tensor latent)
    {
        using var trunk = Trunk(latent);
        return Head(trunk);
    }
}
