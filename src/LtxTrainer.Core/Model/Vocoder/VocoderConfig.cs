using System.Text.Json;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// <c>config.vocoder</c> read as ltx-core's <c>VocoderConfigurator</c> does: a flat section is the LTX-2
/// HiFi-GAN vocoder (24 kHz); a section with <c>vocoder</c> + <c>bwe</c> is LTX-2.3's BigVGAN-v2 with
/// bandwidth extension (48 kHz), whose inner generator outputs at <c>bwe.input_sampling_rate</c>.
/// Like ltx-core's <c>check_config_value</c>, the variant keys (resblock, stereo, activation) must be
/// present with the supported value.
/// </summary>
public sealed record VocoderConfig(VocoderGeneratorConfig Main, BandwidthExtensionConfig? Bwe)
{
    /// <summary>Sample rate of the final waveform.</summary>
    public int OutputSamplingRate => Bwe?.OutputSamplingRate ?? Main.OutputSamplingRate;

    public static VocoderConfig FromCheckpoint(ITensorSource source, string description = "vocoder checkpoint")
    {
        using var doc = CheckpointMetadata.ReadConfig(source, description);
        return FromJson(CheckpointMetadata.RequiredSection(doc, "vocoder", description), description);
    }

    public static VocoderConfig FromJson(JsonElement vocoder, string description = "vocoder config")
    {
        var root = new ConfigReader(description, "config.vocoder");
        if (root.Object(vocoder, "bwe") is not { } bwe)
        {
            root.Require(vocoder, "resblock", "1", mustBePresent: true);
            root.RequireBool(vocoder, "stereo", true, mustBePresent: true);
            return new VocoderConfig(VocoderGeneratorConfig.FromJson(root, vocoder, applyFinalActivation: true, null), null);
        }

        var mainReader = new ConfigReader(description, "config.vocoder.vocoder");
        var bweReader = new ConfigReader(description, "config.vocoder.bwe");
        var inner = root.Object(vocoder, "vocoder");
        mainReader.Require(inner, "resblock", "AMP1", mustBePresent: true);
        mainReader.RequireBool(inner, "stereo", true, mustBePresent: true);
        mainReader.Require(inner, "activation", "snakebeta", mustBePresent: true);
        bweReader.Require(bwe, "resblock", "AMP1", mustBePresent: true);
        bweReader.RequireBool(bwe, "stereo", true, mustBePresent: true);
        bweReader.Require(bwe, "activation", "snakebeta", mustBePresent: true);

        int inputRate = Required(bweReader, bwe, "input_sampling_rate");
        int outputRate = Required(bweReader, bwe, "output_sampling_rate");
        if (outputRate % inputRate != 0)
            throw bweReader.Error("output_sampling_rate", $"{outputRate} Hz is not an integer multiple of {inputRate} Hz.");
        var main = VocoderGeneratorConfig.FromJson(mainReader, inner, applyFinalActivation: true, outputSamplingRate: inputRate);
        var generator = VocoderGeneratorConfig.FromJson(bweReader, bwe, applyFinalActivation: false, outputSamplingRate: outputRate);
        var config = new BandwidthExtensionConfig(generator,
            Required(bweReader, bwe, "n_fft"), Required(bweReader, bwe, "hop_length"), Required(bweReader, bwe, "num_mels"),
            inputRate, outputRate);
        return new VocoderConfig(main, config);
    }

    private static int Required(ConfigReader reader, JsonElement bwe, string key) =>
        reader.OptionalInt(bwe, key) ?? throw reader.Error(key, "required key is missing.");
}
