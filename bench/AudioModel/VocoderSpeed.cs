using System.Diagnostics;
using LtxTrainer.Core.Model.Vocoder;
using static TorchSharp.torch;

namespace LtxTrainer.Bench.AudioModel;

/// <summary>
/// Repeated passes of the real-size LTX-2.3 vocoder (random weights) over the same log-mel: wall time of
/// each pass (the minimum is the figure least disturbed by other load on the machine) and the resident-set
/// peak above the level after building (and process CPU time), so a change to the vocoder can be compared before and after.
/// </summary>
internal static class VocoderSpeed
{
    public static Dictionary<string, object> Run(double seconds, int repetitions, int threads)
    {
        if (threads > 0) set_num_threads(threads);
        var results = new Dictionary<string, object>();
        var vae = RealSizeConfigs.AudioVae();
        using var vocoder = new VocoderWithBwe(RealSizeConfigs.Vocoder());
        vocoder.eval();
        long frames = (long)(seconds * vae.SampleRate / vae.HopLength) + 1;
        using var mel = randn(1, 2, frames, vae.MelBins, generator: new Generator(3));
        long before = ProcessMemory.CurrentRss;
        ProcessMemory.ResetPeak();
        var times = new List<double>();
        var cpuTimes = new List<double>();
        using (no_grad())
        {
            for (int r = 0; r < repetitions; r++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                using var audio = vocoder.forward(mel);
                times.Add(sw.Elapsed.TotalSeconds);
                cpuTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                results["output_shape"] = audio.shape;
            }
        }
        var sorted = times.Order().ToList();
        results["seconds_of_audio"] = seconds;
        results["mel_frames"] = frames;
        results["repetitions"] = repetitions;
        results["wall_s"] = times;
        results["wall_min_s"] = sorted[0];
        results["wall_median_s"] = sorted[sorted.Count / 2];
        // Process CPU time barely depends on other load, so it is the figure to compare on a busy machine
        // (with one thread it is the work done; with more it also counts the workers' spin-waiting).
        results["cpu_s"] = cpuTimes;
        results["cpu_min_s"] = cpuTimes.Min();
        results["peak_rss_above_start_bytes"] = ProcessMemory.PeakRss - before;
        results["threads"] = get_num_threads();
        results["load_average_after"] = File.ReadAllText("/proc/loadavg").Trim();
        return results;
    }
}
