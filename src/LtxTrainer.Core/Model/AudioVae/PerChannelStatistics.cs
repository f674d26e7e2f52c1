using LtxTrainer.Core.Checkpoints;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// The latent statistics shared by encoder and decoder (<c>audio_vae.per_channel_statistics.*</c>), applied
/// to patchified tokens: encode (x − mean)/std, decode x·std + mean.
/// </summary>
public sealed class PerChannelStatistics : IDisposable
{
    public const string Prefix = "audio_vae.per_channel_statistics.";
    public const string MeanKey = Prefix + "mean-of-means";
    public const string StdKey = Prefix + "std-of-means";

    private PerChannelStatistics(Tensor mean, Tensor std)
    {
        Mean = mean;
        Std = std;
    }

    /// <summary>mean-of-means, [token width], float32.</summary>
    public Tensor Mean { get; }

    /// <summary>std-of-means, [token width], float32.</summary>
    public Tensor Std { get; }

    /// <summary>Loads both vectors, checking their length against the config (the reference sizes them by <c>ch</c>).</summary>
    public static PerChannelStatistics Load(ITensorSource source, AudioVaeConfig config, string description, Device? device = null)
    {
        // ltx-core sizes the statistics by `ch` while applying them to z·(mels/4)-wide tokens, so a usable
        // config has ch == token width (real: 128 == 8·16). Say so instead of failing on a broadcast later.
        if (config.Ch != config.TokenWidth)
            throw new CheckpointFormatException(
                $"{description}: ddconfig.ch ({config.Ch}) must equal z_channels × mel_bins/{1 << (config.Levels - 1)} ({config.TokenWidth}), the latent token width the statistics apply to.",
                key: "config.audio_vae.model.params.ddconfig.ch");
        long[] shape = [config.Ch];
        var mean = ModuleWeightLoader.LoadChecked(source, MeanKey, shape, description, device);
        try
        {
            var std = ModuleWeightLoader.LoadChecked(source, StdKey, shape, description, device);
            return new PerChannelStatistics(mean, std);
        }
        catch
        {
            mean.Dispose();
            throw;
        }
    }

    public Tensor Normalize(Tensor tokens) => (tokens - Mean) / Std;

    public Tensor Denormalize(Tensor tokens) => tokens * Std + Mean;

    public void Dispose()
    {
        Mean.Dispose();
        Std.Dispose();
    }
}
