using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LtxTrainer.Bench.LeadIn;
using LtxTrainer.Core.Model;
using LtxTrainer.Core.Platform;
using LtxTrainer.Core.Sampling;
using LtxTrainer.Core.Text;
using LtxTrainer.TestData;
using TorchSharp;

// Lead-in preview speed: seconds per denoising step and per preview (126 tokens, 1 s clean suffix, 30 steps,
// cfg + STG = 3 passes per step), for the first preview of a session (models load, prompts encode) and for
// later ones in the same session (nothing loads; a seen prompt is not encoded again).
//   dotnet run -c Release --project bench/LeadIn -- --model tiny|mid [--threads 2] [--steps 30]
//   dotnet run -c Release --project bench/LeadIn -- --model /path/ltx-2.3.safetensors --gemma /path/gemma --device cuda
var o = Options.Parse(args);
if (o.Threads > 0) torch.set_num_threads(o.Threads);
var repo = TestRepository.Root;
var golden = Environment.GetEnvironmentVariable("LTXTRAINER_GOLDEN") is { Length: > 0 } g ? g : Path.Combine(repo, "..", "shared", "golden");
var work = Directory.CreateTempSubdirectory("ltx-leadin-bench-").FullName;
try
{
    string checkpoint, gemma = o.Gemma ?? TinyPreviewModel.GemmaFolder(golden);
    var tiny = TinyPreviewModel.Write(golden, Path.Combine(work, "tiny.safetensors"));
    checkpoint = o.Model switch
    {
        "tiny" => tiny,
        "mid" => MidSizeModel.Write(tiny, Path.Combine(work, "mid.safetensors")),
        _ => o.Model,
    };
    var device = DeviceName.Parse(o.Device);
    var clipAudio = Tones(3.0, 44100);
    var clip = ClosingClip.FromSamples(clipAudio, 44100, o.ConditioningSeconds, "tones");
    int layers;
    using (var header = LtxTrainer.Core.Checkpoints.LtxCheckpoint.Open(checkpoint)) layers = header.Config.NumLayers;
    int stgBlock = o.StgBlock ?? Math.Min(28, layers - 1);   // the official block 28, or the last one of a smaller model
    var request = new LeadInRequest
    {
        Clip = clip,
        Prompt = "a warm synth pad",
        DurationSeconds = o.Tokens / 25.0,
        Steps = o.Steps,
        StgBlocks = [stgBlock],
    };

    var sw = Stopwatch.StartNew();
    using var session = LeadInGenerator.Open(new LeadInSessionOptions
    {
        Models = new AudioModelSetOptions { CheckpointPath = checkpoint, Device = device },
        TextEncoderPath = gemma,
        TextEncoder = new TextEncoderOptions { Device = device },
        CaptionCacheFolder = Path.Combine(work, "captions"),
    }, [request.Prompt, request.ResolvedNegativePrompt]);
    double open = sw.Elapsed.TotalSeconds;
    var runs = new List<Dictionary<string, object>>();
    Dictionary<string, object> Run(string label, LeadInRequest r)
    {
        var t = Stopwatch.StartNew();
        var result = session.Generate(r);
        double seconds = t.Elapsed.TotalSeconds;
        var d = new Dictionary<string, object>
        {
            ["label"] = label, ["seconds"] = seconds, ["seconds_per_step"] = result.Timings.Denoising / r.Steps,
            ["prompt_seconds"] = result.Timings.Prompts, ["suffix_encode_seconds"] = result.Timings.Suffix,
            ["denoise_seconds"] = result.Timings.Denoising, ["decode_seconds"] = result.Timings.Decoding,
            ["tokens"] = result.TotalTokens, ["suffix_tokens"] = result.SuffixTokens, ["passes_per_step"] = 3,
            // For runs with fewer steps (large models on a CPU): the same preview at the official 30 steps.
            ["preview_30_steps_seconds"] = seconds + (30 - r.Steps) * result.Timings.Denoising / r.Steps,
        };
        Console.WriteLine(string.Join(", ", d.Select(p => $"{p.Key}={Format(p.Value)}")));
        runs.Add(d);
        return d;
    }
    var first = Run("first preview (after open)", request);
    var second = Run("second preview, same prompt", request with { Seed = 43 });
    var newPrompt = Run("third preview, new prompt", request with { Prompt = "a bowed cello note", Seed = 44 });
    double firstWithOpen = open + (double)first["seconds"];

    var cfg = session.Models.Config;
    var json = new Dictionary<string, object>
    {
        ["benchmark"] = "lead_in_preview",
        ["utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        ["model"] = o.Model is "tiny" or "mid" ? o.Model : Path.GetFileName(o.Model),
        ["transformer"] = new Dictionary<string, object>
        {
            ["layers"] = cfg.NumLayers, ["heads"] = cfg.AudioHeads, ["head_dim"] = cfg.AudioHeadDim, ["token_width"] = cfg.AudioInChannels,
        },
        ["device"] = o.Device, ["dtype"] = session.Models.DType.ToString(), ["threads"] = torch.get_num_threads(),
        ["processor_count"] = Environment.ProcessorCount, ["text_tokens"] = new TextEncoderOptions().MaxLength,
        ["steps"] = o.Steps, ["stg_block"] = stgBlock,
        ["open_seconds"] = open, ["first_preview_including_open_seconds"] = firstWithOpen,
        ["runs"] = runs,
        ["second_preview_saving_vs_first_including_open"] = firstWithOpen - (double)second["seconds"],
        ["peak_rss_bytes"] = PeakRss(),
        ["load_average_after"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
    };
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(o.Output))!);
    File.WriteAllText(o.Output, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"open {open:0.###} s; first preview {firstWithOpen:0.###} s with the open, second {second["seconds"]:0.###} s; wrote {o.Output}");
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string Format(object v) => v is double d ? d.ToString("0.####", CultureInfo.InvariantCulture) : v.ToString()!;

static long PeakRss()
{
    if (!File.Exists("/proc/self/status")) return 0;
    var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

static float[][] Tones(double seconds, int rate)
{
    int n = (int)(seconds * rate);
    var l = new float[n];
    var r = new float[n];
    for (int i = 0; i < n; i++)
    {
        l[i] = 0.4f * MathF.Sin(2 * MathF.PI * 220f * i / rate);
        r[i] = 0.4f * MathF.Sin(2 * MathF.PI * 277f * i / rate);
    }
    return [l, r];
}

internal sealed record Options(string Model, string? Gemma, string Device, int Threads, int Steps, int Tokens, double ConditioningSeconds, int? StgBlock, string Output)
{
    public static Options Parse(string[] args)
    {
        string? Get(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        var model = Get("--model") ?? "tiny";
        var device = Get("--device") ?? "cpu";
        string label = model is "tiny" or "mid" ? model : "real";
        return new Options(model, Get("--gemma"), device, int.Parse(Get("--threads") ?? "0", CultureInfo.InvariantCulture),
            int.Parse(Get("--steps") ?? "30", CultureInfo.InvariantCulture), int.Parse(Get("--tokens") ?? "126", CultureInfo.InvariantCulture),
            double.Parse(Get("--conditioning-seconds") ?? "1.0", CultureInfo.InvariantCulture),
            Get("--stg-block") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : null,
            Get("--out") ?? Path.Combine(TestRepository.Root, "bench", "results", $"lead_in-{label}-{device.Replace(':', '_')}.json"));
    }
}
