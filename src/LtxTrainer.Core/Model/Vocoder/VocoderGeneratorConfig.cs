using System.Text.Json;
using LtxTrainer.Core.Model.AudioVae;

namespace LtxTrainer.Core.Model.Vocoder;

/// <summary>
/// One mel-to-waveform generator (the LTX-2 HiFi-GAN vocoder, or either BigVGAN-v2 generator of
/// LTX-2.3), with ltx-core's <c>_vocoder_from_config</c> defaults for absent keys.
/// </summary>
public sealed record VocoderGeneratorConfig
{
    public IReadOnlyList<int> ResblockKernelSizes { get; init; } = [3, 7, 11];
    public IReadOnlyList<int> UpsampleRates { get; init; } = [6, 5, 2, 2, 2];
    public IReadOnlyList<int> UpsampleKernelSizes { get; init; } = [16, 15, 8, 4, 4];
    public IReadOnlyList<IReadOnlyList<int>> ResblockDilationSizes { get; init; } = [[1, 3, 5], [1, 3, 5], [1, 3, 5]];
    public int UpsampleInitialChannel { get; init; } = 1024;
    /// <summary>"1" (HiFi-GAN ResBlock1, leaky ReLU) or "AMP1" (BigVGAN-v2 anti-aliased periodic blocks).</summary>
    public string Resblock { get; init; } = "1";
    /// <summary>"snake" or "snakebeta" (AMP1 only).</summary>
    public string Activation { get; init; } = "snake";
    public bool UseTanhAtFinal { get; init; } = true;
    /// <summary>Final tanh/clamp. Not read from the config: true for the main generator, false for the BWE one.</summary>
    public bool ApplyFinalActivation { get; init; } = true;
    public bool UseBiasAtFinal { get; init; } = true;
    public int OutputSamplingRate { get; init; } = 24000;

    public bool IsAmp => Resblock == "AMP1";

    /// <summary>Total upsampling factor (mel frames → samples).</summary>
    public int UpsampleFactor => UpsampleRates.Aggregate(1, (a, b) => a * b);

    internal static VocoderGeneratorConfig FromJson(ConfigReader reader, JsonElement? cfg, bool applyFinalActivation, int? outputSamplingRate)
    {
        var d = new VocoderGeneratorConfig();
        var c = d with
        {
            ResblockKernelSizes = reader.IntList(cfg, "resblock_kernel_sizes", d.ResblockKernelSizes),
            UpsampleRates = reader.IntList(cfg, "upsample_rates", d.UpsampleRates),
            UpsampleKernelSizes = reader.IntList(cfg, "upsample_kernel_sizes", d.UpsampleKernelSizes),
            ResblockDilationSizes = reader.IntListList(cfg, "resblock_dilation_sizes", d.ResblockDilationSizes),
            UpsampleInitialChannel = reader.Int(cfg, "upsample_initial_channel", d.UpsampleInitialChannel),
            Resblock = reader.String(cfg, "resblock", d.Resblock),
            Activation = reader.String(cfg, "activation", d.Activation),
            UseTanhAtFinal = reader.Bool(cfg, "use_tanh_at_final", d.UseTanhAtFinal),
            ApplyFinalActivation = applyFinalActivation,
            UseBiasAtFinal = reader.Bool(cfg, "use_bias_at_final", d.UseBiasAtFinal),
            OutputSamplingRate = outputSamplingRate ?? reader.Int(cfg, "output_sampling_rate", d.OutputSamplingRate),
        };
        if (c.Resblock is not ("1" or "AMP1"))
            throw reader.Error("resblock", $"resblock type '{c.Resblock}' is not supported (\"1\" or \"AMP1\").");
        if (c.Activation is not ("snake" or "snakebeta"))
            throw reader.Error("activation", $"activation '{c.Activation}' is not supported (snake or snakebeta).");
        if (c.UpsampleRates.Count != c.UpsampleKernelSizes.Count)
            throw reader.Error("upsample_rates", "upsample_rates and upsample_kernel_sizes differ in length.");
        if (c.ResblockKernelSizes.Count != c.ResblockDilationSizes.Count)
            throw reader.Error("resblock_kernel_sizes", "resblock_kernel_sizes and resblock_dilation_sizes differ in length.");
        if (c.ResblockDilationSizes.Any(dl => dl.Count != 3))
            throw reader.Error("resblock_dilation_sizes", "each residual block needs exactly 3 dilations.");
        if (c.UpsampleInitialChannel >> c.UpsampleRates.Count <= 0)
            throw reader.Error("upsample_initial_channel", "too few channels for the number of upsampling stages.");
        return c;
    }
}
