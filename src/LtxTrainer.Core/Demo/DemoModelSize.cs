namespace LtxTrainer.Core.Demo;

/// <summary>
/// The widths and depths of the demo model. Everything that is a rate or a layout stays real (16 kHz mel
/// front-end with hop 160 and 64 mels, 25 latent steps per second, the BigVGAN-v2 upsampling rates to
/// 16 kHz and the bandwidth extension to 48 kHz, the Gemma 3 vocabulary); only channel counts and depths
/// shrink, so the model trains and previews in seconds on a CPU. The defaults keep the audio VAE's
/// <c>ch == z_channels × mel_bins / 4</c> (the reference sizes the latent statistics by <c>ch</c>).
/// </summary>
public sealed record DemoModelSize
{
    /// <summary>Audio transformer blocks (real: 48).</summary>
    public int TransformerLayers { get; init; } = 2;

    /// <summary>Audio attention heads (real: 32).</summary>
    public int AudioHeads { get; init; } = 2;

    /// <summary>Audio head width (real: 64); the transformer width is heads × this.</summary>
    public int AudioHeadDim { get; init; } = 32;

    /// <summary>Audio text-connector blocks (real: 8); its width equals the transformer's.</summary>
    public int ConnectorLayers { get; init; } = 2;

    /// <summary>Audio VAE base channels (real: 128).</summary>
    public int VaeChannels { get; init; } = 32;

    /// <summary>Audio VAE channel multipliers per level (real: 1, 2, 4); three levels keep the 4× time downsampling.</summary>
    public IReadOnlyList<int> VaeChannelMultipliers { get; init; } = [1, 1, 2];

    /// <summary>Audio latent channels (real: 8); a token is this × 16 latent mel bins wide.</summary>
    public int VaeLatentChannels { get; init; } = 2;

    /// <summary>Main vocoder's first channel count (real: 1536); halved by each of the six upsampling stages.</summary>
    public int VocoderChannels { get; init; } = 128;

    /// <summary>Bandwidth-extension generator's first channel count (real: 512); halved by each of its five stages.</summary>
    public int BweChannels { get; init; } = 64;

    /// <summary>Gemma hidden size (real 12B: 3840). The embedding table covers the whole real vocabulary, so this sets the file size.</summary>
    public int GemmaHidden { get; init; } = 32;

    /// <summary>Gemma decoder layers (real 12B: 48).</summary>
    public int GemmaLayers { get; init; } = 2;

    /// <summary>Gemma attention heads (real: 16).</summary>
    public int GemmaHeads { get; init; } = 2;

    /// <summary>Gemma key/value heads (real: 8).</summary>
    public int GemmaKeyValueHeads { get; init; } = 1;

    /// <summary>Gemma head width (real: 256).</summary>
    public int GemmaHeadDim { get; init; } = 16;

    /// <summary>Gemma feed-forward width (real: 15360).</summary>
    public int GemmaIntermediate { get; init; } = 64;

    /// <summary>Gemma 3's embedding rows (<c>vocab_size</c> of every Gemma 3 text config): the tokenizer's 262 145 ids plus reserved rows.</summary>
    public const int GemmaVocabSize = 262208;

    /// <summary>Audio transformer (and connector) width.</summary>
    public int AudioWidth => AudioHeads * AudioHeadDim;

    /// <summary>Width of one patchified latent token: latent channels × 64 mels / 4.</summary>
    public int TokenWidth => VaeLatentChannels * 16;

    /// <summary>Throws when the sizes cannot make a loadable model.</summary>
    public void Validate()
    {
        static void Positive(int value, string name)
        {
            if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
        Positive(TransformerLayers, nameof(TransformerLayers));
        Positive(AudioHeads, nameof(AudioHeads));
        Positive(ConnectorLayers, nameof(ConnectorLayers));
        Positive(VaeChannels, nameof(VaeChannels));
        Positive(VaeLatentChannels, nameof(VaeLatentChannels));
        Positive(GemmaHidden, nameof(GemmaHidden));
        Positive(GemmaLayers, nameof(GemmaLayers));
        Positive(GemmaHeads, nameof(GemmaHeads));
        Positive(GemmaKeyValueHeads, nameof(GemmaKeyValueHeads));
        Positive(GemmaIntermediate, nameof(GemmaIntermediate));
        if (AudioHeadDim <= 0 || AudioHeadDim % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(AudioHeadDim), AudioHeadDim, "The audio head width must be positive and even (rotary pairs).");
        if (GemmaHeadDim <= 0 || GemmaHeadDim % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(GemmaHeadDim), GemmaHeadDim, "The Gemma head width must be positive and even (rotary pairs).");
        if (GemmaHeads % GemmaKeyValueHeads != 0)
            throw new ArgumentOutOfRangeException(nameof(GemmaKeyValueHeads), GemmaKeyValueHeads, "Gemma heads must be a multiple of its key/value heads.");
        if (VaeChannelMultipliers.Count != 3 || VaeChannelMultipliers.Any(m => m <= 0))
            throw new ArgumentOutOfRangeException(nameof(VaeChannelMultipliers), "Three positive multipliers keep the real 4x latent downsampling.");
        if (VaeChannels != TokenWidth)
            throw new ArgumentOutOfRangeException(nameof(VaeChannels), VaeChannels,
                $"The audio VAE's channels must equal the token width (latent channels x 16 = {TokenWidth}): the latent statistics are sized by both.");
        if (VocoderChannels >> 6 < 1)
            throw new ArgumentOutOfRangeException(nameof(VocoderChannels), VocoderChannels, "The main vocoder halves its channels six times: at least 64.");
        if (BweChannels >> 5 < 1)
            throw new ArgumentOutOfRangeException(nameof(BweChannels), BweChannels, "The bandwidth extension halves its channels five times: at least 32.");
    }
}
