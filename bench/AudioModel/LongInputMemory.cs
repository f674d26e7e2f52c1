using System.Diagnostics;
using LtxTrainer.Core.Audio;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Vocoder;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Bench.AudioModel;

/// <summary>
/// Peak memory of one long pass through the real-size encoder network (and optionally the vocoder):
/// resident-set high-water mark above the level after the model is built. Random weights; the mel
/// front-end and statistics are skipped because they are small next to the network's activations.
/// </summary>
internal static class LongInputMemory
{
    public static Dictionary<string, object> Run(double encodeSeconds, double vocoderSeconds)
    {
        var results = new Dictionary<string, object>();
        var vae = RealSizeConfigs.AudioVae();
        using (var frontEnd = new LogMelSpectrogram(vae.SampleRate, vae.NFft, vae.HopLength, vae.MelBins))
        using (var encoder = new AudioEncoderNetwork(vae))
        {
            encoder.eval();
            long samples = (long)(encodeSeconds * vae.SampleRate);
            using var wave = randn(1, 2, samples, generator: new Generator(2)) * 0.1;
            using var mel = frontEnd.Forward(wave);
            long before = ProcessMemory.CurrentRss;
            ProcessMemory.ResetPeak();
            var sw = Stopwatch.StartNew();
            using (no_grad())
            using (var raw = encoder.forward(mel))
                results["encode_output_shape"] = raw.shape;
            results["encode_seconds_of_audio"] = encodeSeconds;
            results["encode_wall_s"] = sw.Elapsed.TotalSeconds;
            results["encode_input_mel_bytes"] = mel.NumberOfElements * 4;
            results["encode_peak_rss_above_start_bytes"] = ProcessMemory.PeakRss - before;
        }
        if (vocoderSeconds > 0)
            foreach (var (key, value) in VocoderSpeed.Run(vocoderSeconds, repetitions: 1, threads: 0))
                results["vocoder_" + key] = value;
        return results;
    }
}
