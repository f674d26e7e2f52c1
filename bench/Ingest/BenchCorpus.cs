using LtxTrainer.TestData;

namespace LtxTrainer.Bench.Ingest;

/// <summary>
/// The benchmark corpus: 100 clips of 10 s cut (looped where shorter) from the real supersonic recordings,
/// in rotating formats, sample rates and channel counts; optionally plus one 30-minute real-audio WAV.
/// </summary>
public static class BenchCorpus
{
    public const int Clips = 100;
    public const double ClipSeconds = 10;
    public const double LongSeconds = 1800;

    private static readonly string[][] Formats =
    [
        ["wav", "-c:a", "pcm_s16le"],
        ["wav", "-c:a", "pcm_s24le", "-ar", "48000"],
        ["wav", "-c:a", "pcm_f32le", "-ac", "1", "-ar", "22050"],
        ["mp3", "-c:a", "libmp3lame", "-b:a", "192k"],
        ["ogg", "-c:a", "libvorbis", "-q:a", "5"],
        ["flac", "-c:a", "flac"],
        ["aac", "-c:a", "aac", "-b:a", "160k"],
        ["m4a", "-c:a", "aac", "-b:a", "160k", "-ar", "48000"],
    ];

    /// <summary>Builds (or reuses) the two archives under <paramref name="folder"/>.</summary>
    public static (string Clips, string WithLong, IReadOnlyDictionary<string, int> FormatCounts) Build(string folder)
    {
        Directory.CreateDirectory(folder);
        // Recordings of at least 0.5 s, looped to 10 s (aloop: -stream_loop stops early on tiny files).
        var sources = RealAudio.FlacsAtLeast(0.5).ToArray();
        if (sources.Length == 0) throw new InvalidOperationException(RealAudio.InstallHint);
        var clipsDir = Directory.CreateDirectory(Path.Combine(folder, "clips")).FullName;
        var files = new List<(string Entry, string Path)>();
        var counts = new SortedDictionary<string, int>();
        Parallel.For(0, Clips, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var format = Formats[i % Formats.Length];
            var source = sources[(i * 37) % sources.Length];
            var name = $"clip{i:000}_{Path.GetFileNameWithoutExtension(source)}.{format[0]}";
            var target = Path.Combine(clipsDir, name);
            if (!File.Exists(target))
                FfmpegTool.Run(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", source, "-af", "aloop=loop=-1:size=2147483647",
                    "-t", ClipSeconds.ToString(), .. format[1..], target]);
            lock (files)
            {
                files.Add(($"set/{(i % 3 == 0 ? "a/" : "")}{name}", target));
                counts[format[0] + " " + string.Join(' ', format[1..])] = counts.GetValueOrDefault(format[0] + " " + string.Join(' ', format[1..])) + 1;
            }
        });
        files.Sort((a, b) => string.CompareOrdinal(a.Entry, b.Entry));

        var clipsZip = Path.Combine(folder, "bench-100x10s.zip");
        if (!File.Exists(clipsZip)) Zip(files, clipsZip);

        var longWav = Path.Combine(folder, "long-30min.wav");
        if (!File.Exists(longWav))
            FfmpegTool.Run(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-stream_loop", "-1", "-i", RealAudio.Flac("loop_tabla"),
                "-t", LongSeconds.ToString(), "-c:a", "pcm_s16le", longWav]);
        var withLong = Path.Combine(folder, "bench-100x10s-plus-30min.zip");
        if (!File.Exists(withLong)) Zip([.. files, ("set/long/long-30min.wav", longWav)], withLong);
        return (clipsZip, withLong, counts);
    }

    private static void Zip(IEnumerable<(string Entry, string Path)> files, string target)
    {
        var builder = new ZipBuilder();
        foreach (var (entry, path) in files) builder.File(entry, path);
        builder.Save(target + ".tmp");
        File.Move(target + ".tmp", target, overwrite: true);
    }
}
