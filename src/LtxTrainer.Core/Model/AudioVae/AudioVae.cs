using LtxTrainer.Core.Checkpoints;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.AudioVae;

/// <summary>Encoder and decoder of the audio VAE loaded together (each is also loadable alone).</summary>
public sealed class AudioVae : IDisposable
{
    private AudioVae(AudioVaeEncoder encoder, AudioVaeDecoder decoder)
    {
        Encoder = encoder;
        Decoder = decoder;
    }

    public AudioVaeEncoder Encoder { get; }
    public AudioVaeDecoder Decoder { get; }

    public static AudioVae Load(ITensorSource source, Device? device = null)
    {
        var encoder = AudioVaeEncoder.Load(source, device);
        try
        {
            return new AudioVae(encoder, AudioVaeDecoder.Load(source, device));
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
    }
}
