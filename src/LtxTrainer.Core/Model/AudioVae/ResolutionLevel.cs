using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// One resolution level of the encoder (<c>down.{i}</c>) or decoder (<c>up.{i}</c>): residual blocks, each
/// optionally followed by attention, then an optional resampler (<c>downsample</c> or <c>upsample</c>).
/// </summary>
public sealed class ResolutionLevel : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ResnetBlock> block = new();
    private readonly ModuleList<AttnBlock> attn = new();
    private readonly Downsample? downsample;
    private readonly Upsample? upsample;

    private ResolutionLevel(IEnumerable<ResnetBlock> blocks, IEnumerable<AttnBlock> attention, Downsample? down, Upsample? up)
        : base(nameof(ResolutionLevel))
    {
        foreach (var b in blocks) block.Add(b);
        foreach (var a in attention) attn.Add(a);
        downsample = down;
        upsample = up;
        RegisterComponents();
    }

    /// <summary>An encoder level: <paramref name="count"/> blocks in→out, then a downsample if requested.</summary>
    public static ResolutionLevel Encoder(long inChannels, long outChannels, int count, bool withAttention, bool withDownsample) =>
        Build(inChannels, outChannels, count, withAttention, withDownsample ? new Downsample(outChannels) : null, null);

    /// <summary>A decoder level: <paramref name="count"/> blocks in→out, then an upsample if requested.</summary>
    public static ResolutionLevel Decoder(long inChannels, long outChannels, int count, bool withAttention, bool withUpsample) =>
        Build(inChannels, outChannels, count, withAttention, null, withUpsample ? new Upsample(outChannels) : null);

    private static ResolutionLevel Build(long inChannels, long outChannels, int count, bool withAttention, Downsample? down, Upsample? up)
    {
        var blocks = new List<ResnetBlock>();
        var attention = new List<AttnBlock>();
        for (int i = 0; i < count; i++)
        {
            blocks.Add(new ResnetBlock(i == 0 ? inChannels : outChannels, outChannels));
            if (withAttention) attention.Add(new AttnBlock(outChannels));
        }
        return new ResolutionLevel(blocks, attention, down, up);
    }

    public override Tensor forward(Tensor x)
    {
        // Each intermediate is freed once the next one exists (the input stays the caller's).
        var h = block[0].forward(x);
        if (attn.Count > 0) Replace(ref h, attn[0].forward(h));
        for (int i = 1; i < block.Count; i++)
        {
            Replace(ref h, block[i].forward(h));
            if (attn.Count > 0) Replace(ref h, attn[i].forward(h));
        }
        if (downsample is not null) Replace(ref h, downsample.forward(h));
        if (upsample is not null) Replace(ref h, upsample.forward(h));
        return h;
    }

    private static void Replace(ref Tensor h, Tensor next)
    {
        h.Dispose();
        h = next;
    }
}
