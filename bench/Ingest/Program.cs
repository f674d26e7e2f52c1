using System.Diagnostics;
using System.Text.Json;
using LtxTrainer.Bench.Ingest;
using LtxTrainer.Core.Dataset;
using LtxTrainer.TestData;

// Two modes: without arguments, build the corpus and run each scenario in a fresh child process (so each
// peak-memory figure belongs to that scenario alone), then write bench/results/ingest.json.
// With "--run <zip> <work>", build one dataset and print its measurements as JSON.
if (args.Length == 3 && args[0] == "--run") return RunOne(args[1], args[2]);

var corpusDir = Path.Combine(TestRepository.Root, ".testdata", "bench-ingest");
Console.WriteLine($"Building the corpus in {corpusDir} ...");
var (clipsZip, withLongZip, formats) = BenchCorpus.Build(corpusDir);

var scenarios = new List<object>();
foreach (var (name, zip) in new[] { ("100 clips x 10 s, mixed formats", clipsZip), ("same + one 30-minute WAV", withLongZip) })
{
    var work = Path.Combine(corpusDir, "work");
    if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    var self = Environment.ProcessPath!;
    var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(BenchCorpus).Assembly.Location);
    foreach (var a in new[] { "--run", zip, work }) start.ArgumentList.Add(a);
    using var child = Process.Start(start)!;
    var json = child.StandardOutput.ReadToEnd();
    child.WaitForExit();
    if (child.ExitCode != 0) throw new InvalidOperationException($"scenario '{name}' failed: {json}");
    var result = JsonSerializer.Deserialize<JsonElement>(json);
    Console.WriteLine($"{name}: {json}");
    scenarios.Add(new { scenario = name, archive = Path.GetFileName(zip), archiveBytes = new FileInfo(zip).Length, result });
    Directory.Delete(work, recursive: true);
}

Console.WriteLine("Profiling each format single-threaded ...");
var perFormat = StageProfile.Run(Path.Combine(corpusDir, "clips"), 8.0);

var report = new
{
    benchmark = "ingest",
    createdUtc = DateTimeOffset.UtcNow,
    machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, framework = Environment.Version.ToString() },
    settings = new { audioDurationSeconds = 8.0, conditioningSeconds = 1.0, normalize = true, trimFrom = "End", parallelism = Environment.ProcessorCount },
    corpus = new { clips = BenchCorpus.Clips, clipSeconds = BenchCorpus.ClipSeconds, longWavSeconds = BenchCorpus.LongSeconds, formats },
    notes = "realtimeFactor = seconds of source audio decoded / wall seconds of the whole build (extraction, decoding, " +
            "resampling, normalisation, writing), on MaxParallelism = ProcessorCount. The machine is shared: see loadAverage1m " +
            "(2 cores; a load far above 2 means other jobs took most of the CPU). cpuSeconds = this process, ffmpegChildCpuSeconds = " +
            "the ffmpeg decoders (FLAC/AAC/M4A); cpuRealtimeFactorPerCore = audio seconds per CPU second of both, i.e. what one " +
            "uncontended core sustains (two cores: about twice that). peakWorkingSetBytes is the scenario's own process peak RSS. " +
            "perFormat: single-threaded CPU per clip for decoding alone and for the whole conditioning (decode + resample + normalise).",
    scenarios,
    perFormat,
};
var resultsDir = Path.Combine(TestRepository.Root, "bench", "results");
Directory.CreateDirectory(resultsDir);
var output = Path.Combine(resultsDir, "ingest.json");
File.WriteAllText(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Wrote {output}");
return 0;

static int RunOne(string zip, string work)
{
    var process = Process.GetCurrentProcess();
    var (selfBefore, childrenBefore) = ProcessCpu.Seconds();
    var loadBefore = ProcessCpu.LoadAverage();
    var clock = Stopwatch.StartNew();
    var dataset = new AudioSuffixDatasetBuilder().Build(zip, work, new DatasetSettings(8.0, 1.0));
    clock.Stop();
    process.Refresh();
    var (selfAfter, childrenAfter) = ProcessCpu.Seconds();
    double cpu = selfAfter - selfBefore, ffmpegCpu = childrenAfter - childrenBefore;
    double audioSeconds = dataset.Clips.Sum(c => c.SourceSeconds);
    var result = new
    {
        kept = dataset.KeptCount,
        skipped = dataset.SkippedCount,
        skipReasons = dataset.Skipped.Select(s => $"{s.SourceEntry}: {s.Reason}").ToArray(),
        wallSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
        cpuSeconds = Math.Round(cpu, 3),
        ffmpegChildCpuSeconds = Math.Round(ffmpegCpu, 3),
        coresBusy = Math.Round((cpu + ffmpegCpu) / clock.Elapsed.TotalSeconds, 2),
        loadAverage1mBefore = loadBefore,
        loadAverage1mAfter = ProcessCpu.LoadAverage(),
        cpuRealtimeFactorPerCore = Math.Round(audioSeconds / (cpu + ffmpegCpu), 1),
        sourceAudioSeconds = Math.Round(audioSeconds, 3),
        clipsPerSecond = Math.Round(dataset.KeptCount / clock.Elapsed.TotalSeconds, 2),
        realtimeFactor = Math.Round(audioSeconds / clock.Elapsed.TotalSeconds, 1),
        peakWorkingSetBytes = process.PeakWorkingSet64,
        peakWorkingSetMiB = Math.Round(process.PeakWorkingSet64 / 1048576.0, 1),
        gcTotalAllocatedMiB = Math.Round(GC.GetTotalAllocatedBytes() / 1048576.0, 1),
    };
    Console.Write(JsonSerializer.Serialize(result));
    return 0;
}
