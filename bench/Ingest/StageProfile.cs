using System.Diagnostics;
using LtxTrainer.Core.Audio;

namespace LtxTrainer.Bench.Ingest;

/// <summary>
/// Single-threaded cost per format, split into decoding (decoder + stereo window) and the whole
/// conditioning (decoding + resampling + normalisation), so the realtime figures can be attributed.
/// </summary>
public static class StageProfile
{
    public static IReadOnlyList<object> Run(string clipsFolder, double bucketSeconds, int repeats = 3)
    {
        var ffmpeg = FfmpegLocator.Find();
        var options = new ClipFitOptions(bucketSeconds);
        var rows = new List<object>();
        foreach (var group in Directory.GetFiles(clipsFolder).GroupBy(FormatKey).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var files = group.Take(repeats).ToList();
            double decodeCpu = 0, conditionCpu = 0, audioSeconds = 0;
            foreach (var file in files)
            {
                var (self0, child0) = ProcessCpu.Seconds();
                using (var decoder = AudioFormats.Open(file, ffmpeg))
                    audioSeconds += StereoWindowReader.Read(decoder, (long)Math.Round(bucketSeconds * decoder.SampleRate), TrimFrom.End).SourceSeconds;
                var (self1, child1) = ProcessCpu.Seconds();
                ClipConditioner.Condition(file, options, ffmpeg);
                var (self2, child2) = ProcessCpu.Seconds();
                decodeCpu += (self1 - self0) + (child1 - child0);
                conditionCpu += (self2 - self1) + (child2 - child1);
            }
            rows.Add(new
            {
                format = group.Key,
                clips = files.Count,
                decodeCpuMsPerClip = Math.Round(1000 * decodeCpu / files.Count, 1),
                conditionCpuMsPerClip = Math.Round(1000 * conditionCpu / files.Count, 1),
                resampleAndRestShare = Math.Round(1 - decodeCpu / Math.Max(1e-9, conditionCpu), 2),
                cpuRealtimeFactor = Math.Round(audioSeconds / Math.Max(1e-9, conditionCpu), 1),
            });
        }
        return rows;
    }

    // Format and source rate/channels, read from the file name's extension plus its header.
    private static string FormatKey(string file)
    {
        using var decoder = AudioFormats.Open(file, FfmpegLocator.Find());
        return $"{Path.GetExtension(file).TrimStart('.')} {decoder.SampleRate} Hz {decoder.Channels} ch";
    }
}
