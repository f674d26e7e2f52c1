using LtxTrainer.Core.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>
/// The one loading path of the VAE's two networks, encoder and decoder: config from <c>config.audio_vae</c>, the
/// statistics both share, then the network itself under its prefix. When any step fails, what was already
/// loaded is disposed, so a bad checkpoint leaks nothing.
/// </summary>
internal static class AudioVaeNetworkLoader
{
    public static T Load<TNetwork, T>(ITensorSource source, Device? device, string description, string prefix,
        Func<AudioVaeConfig, TNetwork> build, Func<AudioVaeConfig, TNetwork, PerChannelStatistics, Device, T> create)
        where TNetwork : nn.Module
    {
        var config = AudioVaeConfig.FromCheckpoint(source, description);
        var dev = device ?? CPU;
        var stats = PerChannelStatistics.Load(source, config, description, dev);
        try
        {
            var network = FrozenModule.Load(build(config), source, prefix, description, dev);
            return create(config, network, stats, dev);
        }
        catch
        {
            stats.Dispose();
            throw;
        }
    }
}
