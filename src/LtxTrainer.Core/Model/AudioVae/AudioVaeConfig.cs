using System.Text.Json;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// The audio VAE's hyper-parameters, read from <c>config.audio_vae</c> of the checkpoint metadata the way
/// ltx-core's configurators read them (ltx_core/model/audio_vae/model_configurator.py): <c>model.params.ddconfig.*</c>,
/// <c>model.params.sampling_rate</c>, <c>preprocessing.stft.{filter_length, hop_length, causal}</c> and
/// <c>mel_bins</c> (falling back to <c>preprocessing.mel.n_mel_channels</c>). Absent keys take the
/// official code defaults, including the ones real checkpoints override (<c>attn_resolutions</c> defaults
/// to {8, 16, 32} and <c>mid_block_add_attention</c> to true).
/// </summary>
public sealed record AudioVaeConfig
{
    /// <summary>The latent time axis is downsampled 4× by the encoder (two stride-2 stages).</summary>
    public const int LatentDownsampleFactor = 4;

    public int Ch { get; init; } = 128;
    public int OutCh { get; init; } = 2;
    public IReadOnlyList<int> ChMult { get; init; } = [1, 2, 4];
    public int NumResBlocks { get; init; } = 2;
    public IReadOnlyList<int> AttnResolutions { get; init; } = [8, 16, 32];
    public int Resolution { get; init; } = 256;
    public int ZChannels { get; init; } = 8;
    public bool DoubleZ { get; init; } = true;
    public int InChannels { get; init; } = 2;
    public bool MidBlockAddAttention { get; init; } = true;
    /// <summary>"vanilla" (single-head attention blocks) or "none" (attention blocks are identities).</summary>
    public string AttnType { get; init; } = "vanilla";
    public int SampleRate { get; init; } = 16000;
    public int HopLength { get; init; } = 160;
    public int NFft { get; init; } = 1024;
    public int MelBins { get; init; } = 64;

    /// <summary>Number of resolution levels.</summary>
    public int Levels => ChMult.Count;

    /// <summary>Channels of the deepest level (the mid block's width).</summary>
    public int BottleneckChannels => Ch * ChMult[^1];

    /// <summary>Latent mel bins: the mel axis is halved by every downsample.</summary>
    public int LatentMelBins => MelBins >> (Levels - 1);

    /// <summary>Width of one patchified latent token (z channels × latent mel bins).</summary>
    public int TokenWidth => ZChannels * LatentMelBins;

    /// <summary>Reads <c>config.audio_vae</c> from a checkpoint's metadata.</summary>
    public static AudioVaeConfig FromCheckpoint(ITensorSource source, string description = "audio VAE checkpoint")
    {
        using var doc = CheckpointMetadata.ReadConfig(source, description);
        return FromJson(CheckpointMetadata.RequiredSection(doc, "audio_vae", description), description);
    }

    /// <summary>Parses an <c>audio_vae</c> config section.</summary>
    public static AudioVaeConfig FromJson(JsonElement audioVae, string description = "audio VAE config")
    {
        var reader = new ConfigReader(description, "config.audio_vae");
        var parameters = reader.Object(audioVae, "model", "params");
        var dd = reader.Object(parameters, "ddconfig");
        var stft = reader.Object(audioVae, "preprocessing", "stft");
        var mel = reader.Object(audioVae, "preprocessing", "mel");

        var d = new AudioVaeConfig();
        var config = d with
        {
            Ch = reader.Int(dd, "ch", d.Ch),
            OutCh = reader.Int(dd, "out_ch", d.OutCh),
            ChMult = reader.IntList(dd, "ch_mult", d.ChMult),
            NumResBlocks = reader.Int(dd, "num_res_blocks", d.NumResBlocks),
            AttnResolutions = reader.IntList(dd, "attn_resolutions", d.AttnResolutions),
            Resolution = reader.Int(dd, "resolution", d.Resolution),
            ZChannels = reader.Int(dd, "z_channels", d.ZChannels),
            DoubleZ = reader.Bool(dd, "double_z", d.DoubleZ),
            InChannels = reader.Int(dd, "in_channels", d.InChannels),
            MidBlockAddAttention = reader.Bool(dd, "mid_block_add_attention", d.MidBlockAddAttention),
            AttnType = reader.String(dd, "attn_type", d.AttnType),
            SampleRate = reader.Int(parameters, "sampling_rate", d.SampleRate),
            HopLength = reader.Int(stft, "hop_length", d.HopLength),
            NFft = reader.Int(stft, "filter_length", d.NFft),
            MelBins = reader.OptionalInt(dd, "mel_bins") ?? reader.OptionalInt(mel, "n_mel_channels") ?? d.MelBins,
        };

        // Only the variant LTX ships is implemented; anything else would silently compute something else.
        reader.Require(dd, "norm_type", "pixel");
        reader.Require(dd, "causality_axis", "height");
        reader.RequireBool(dd, "resamp_with_conv", true);
        reader.RequireBool(stft, "causal", true);
        if (config.AttnType is not ("vanilla" or "none"))
            throw reader.Error("ddconfig.attn_type", $"attention type '{config.AttnType}' is not supported (vanilla or none).");
        if (config.ChMult.Count == 0 || config.Ch <= 0 || config.ZChannels <= 0 || config.NumResBlocks <= 0)
            throw reader.Error("ddconfig", "ch, ch_mult, z_channels and num_res_blocks must be positive.");
        if (config.MelBins % (1 << (config.Levels - 1)) != 0)
            throw reader.Error("ddconfig.mel_bins", $"mel_bins {config.MelBins} is not divisible by the downsampling {1 << (config.Levels - 1)}.");
        return config;
    }
}
