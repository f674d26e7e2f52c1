using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LtxTrainer.Bench;
using LtxTrainer.Bench.Transformer;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Text;
using LtxTrainer.Core.Training;
using static TorchSharp.torch;

// Usage: dotnet run -c Release --project bench/Training -- [--steps 12] [--mid-steps 4] [--repeats 2] [--threads 1] [--sizes tiny,mid] [--device cpu|cuda] [--out bench/results/training_loop.json]
// Compares the whole loop (TrainingLoop.Run: data order, draws, metrics line per step, progress, a checkpoint at the
// end) with the bare step (LoraTrainingStep.Step on a ready batch) on the same model, each in its own child process
// (so peak memory does not mix), alternating bare/loop runs so that machine load affects both alike. Each child also
// reports model FLOPs utilisation: the step's model FLOPs (StepFlops) times steps/s over the device's measured matmul
// rate in the model's dtype (float32 on CPU; bfloat16 with recomputation on CUDA, as the trainer runs there).
var opts = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length ? args[p.i + 1] : "");
string Opt(string name, string fallback) => opts.TryGetValue(name, out var v) ? v : fallback;
int steps = int.Parse(Opt("steps", "12"), CultureInfo.InvariantCulture);

if (opts.TryGetValue("mode", out var mode))
{
    // One thread by default: on a shared machine OpenMP threads spinning against other processes' load make the
    // figures scatter far more than the loop's overhead.
    set_num_threads(int.Parse(Opt("threads", "1"), CultureInfo.InvariantCulture));
    var size = Sizes.All.Single(s => s.Name == Opt("size", "tiny"));
    Bench.Device = LtxTrainer.Core.Platform.DeviceName.Parse(Opt("device", "cpu"));
    var result = mode switch
    {
        "loop" => Bench.Loop(size, steps),
        "kv" => Bench.KeptKv(size, steps, Opt("kv", "on") == "on", Opt("recompute", "off") == "on"),
        _ => Bench.Bare(size, steps),
    };
    Console.WriteLine(JsonSerializer.Serialize(result));
    return;
}

int repeats = int.Parse(Opt("repeats", "2"), CultureInfo.InvariantCulture);
if (opts.ContainsKey("kv-compare"))
{
    KvCompare();
    return;
}
var sizes = new List<Dictionary<string, object>>();
var only = Opt("sizes", "tiny,mid").Split(',');
foreach (var size in Sizes.All.Where(s => only.Contains(s.Name)))
{
    // The mid-size model's steps cost ~100x the tiny one's: fewer of them keep a run within minutes.
    int n = size.Name == "mid" ? int.Parse(Opt("mid-steps", steps.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture) : steps;
    var runs = new List<JsonElement>();
    var marginal = new List<double>();
    for (int r = 0; r < repeats; r++)
    {
        foreach (var m in new[] { "bare", "loop" })
            runs.Add(Child(m, size.Name, n));
        // A loop 3n steps longer: the difference in the loop's own time over the difference in step time is its
        // cost per additional step, free of one-off costs (JIT, first serialisation, LoRA set-up) and of checkpoints.
        var longer = Child("loop", size.Name, 4 * n);
        runs.Add(longer);
        var shorter = runs[^2];
        double Own(JsonElement x) => x.GetProperty("loop_own_seconds").GetDouble() - x.GetProperty("checkpoint_seconds").GetDouble();
        marginal.Add((Own(longer) - Own(shorter)) / (longer.GetProperty("in_step_seconds").GetDouble() - shorter.GetProperty("in_step_seconds").GetDouble()));
    }
    double Median(string m, string key) => runs.Where(x => x.GetProperty("mode").GetString() == m && x.GetProperty("steps").GetInt32() == n)
        .Select(x => x.GetProperty(key).GetDouble()).Order().ElementAt(repeats / 2);
    double bare = Median("bare", "steps_per_second"), loop = Median("loop", "steps_per_second");
    sizes.Add(new Dictionary<string, object>
    {
        ["size"] = size.Name, ["config"] = size.Describe(), ["steps_per_run"] = n,
        ["bare_steps_per_second_median"] = bare, ["loop_steps_per_second_median"] = loop,
        ["loop_overhead_fraction"] = bare / loop - 1,
        ["loop_own_fraction_of_step_median"] = Median("loop", "loop_own_fraction_of_step"),
        ["checkpoint_fraction_of_step_at_interval_250_median"] = Median("loop", "checkpoint_fraction_of_step_at_interval_250"),
        ["loop_marginal_fraction_of_step"] = marginal, ["loop_marginal_fraction_of_step_median"] = marginal.Order().ElementAt(marginal.Count / 2),
        ["bare_peak_rss_bytes_median"] = Median("bare", "peak_rss_bytes"), ["loop_peak_rss_bytes_median"] = Median("loop", "peak_rss_bytes"),
        ["model_flops_per_step"] = runs[0].GetProperty("model_flops_per_step").GetDouble(),
        ["bare_mfu_median"] = Median("bare", "mfu"), ["loop_mfu_median"] = Median("loop", "mfu"),
        ["runs"] = runs,
    });
}
var output = new Dictionary<string, object>
{
    ["benchmark"] = "training loop vs bare LoRA step (CPU: float32, no recomputation; CUDA: bfloat16 base, recomputation)",
    ["device"] = Opt("device", "cpu"),
    ["machine"] = new Dictionary<string, object> { ["cores"] = Environment.ProcessorCount, ["load_average"] = File.ReadAllText("/proc/loadavg").Trim() },
    ["repeats"] = repeats, ["sizes"] = sizes,
};
var outPath = Opt("out", "bench/results/training_loop.json");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
File.WriteAllText(outPath, JsonSerializer.Serialize(output, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(File.ReadAllText(outPath));

// The bare step with the cross-attentions' base key/value projections kept per caption against computed every step
// (LoraTrainingStep's CrossAttentionKvCacheBytes), alternating off/on children, with and without recomputation.
void KvCompare()
{
    var size = Sizes.All.Single(s => s.Name == Opt("size", "mid"));
    int n = int.Parse(Opt("steps", "3"), CultureInfo.InvariantCulture);
    var results = new List<Dictionary<string, object>>();
    foreach (var recompute in Opt("recompute", "off,on").Split(','))
    {
        var runs = new List<JsonElement>();
        for (int r = 0; r < repeats; r++)
            foreach (var kv in new[] { "off", "on" })
                runs.Add(Child("kv", size.Name, n, "--kv", kv, "--recompute", recompute));
        double Median(string kv) => runs.Where(x => x.GetProperty("kv").GetBoolean() == (kv == "on"))
            .Select(x => x.GetProperty("steps_per_second").GetDouble()).Order().ElementAt(repeats / 2);
        results.Add(new Dictionary<string, object>
        {
            ["recompute"] = recompute == "on", ["uncached_steps_per_second_median"] = Median("off"), ["cached_steps_per_second_median"] = Median("on"),
            ["speedup"] = Median("on") / Median("off"), ["runs"] = runs,
        });
    }
    var kvOutput = new Dictionary<string, object>
    {
        ["benchmark"] = "LoRA step with cross-attention base K/V kept per caption vs computed every step (CPU, float32, one caption, prompt AdaLN off)",
        ["machine"] = new Dictionary<string, object> { ["cores"] = Environment.ProcessorCount, ["load_average"] = File.ReadAllText("/proc/loadavg").Trim() },
        ["size"] = size.Name, ["config"] = size.Describe(), ["steps_per_run"] = n, ["repeats"] = repeats, ["results"] = results,
    };
    var kvPath = Opt("out", "bench/results/cross_attention_kv.json");
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(kvPath))!);
    File.WriteAllText(kvPath, JsonSerializer.Serialize(kvOutput, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine(File.ReadAllText(kvPath));
}

JsonElement Child(string m, string size, int n, params string[] extra)
{
    var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    foreach (var a in Environment.GetCommandLineArgs().Take(1).Where(a => a.EndsWith(".dll", StringComparison.Ordinal))) psi.ArgumentList.Add(a);
    foreach (var a in new[] { "--mode", m, "--size", size, "--steps", n.ToString(CultureInfo.InvariantCulture), "--threads", Opt("threads", "1"), "--device", Opt("device", "cpu") }.Concat(extra))
        psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var text = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{m} {size} failed ({p.ExitCode}).");
    Console.Error.WriteLine($"{size} {m}: {text.Trim()}");
    return JsonDocument.Parse(text.Trim().Split('\n')[^1]).RootElement.Clone();
}

/// <summary>A model size: blocks, heads × head width, audio tokens, suffix tokens, text tokens, LoRA rank.</summary>
internal sealed record Sizes(string Name, int Layers, int Heads, int HeadDim, int Tokens, int Suffix, int TextTokens, int Rank)
{
    public static readonly Sizes[] All =
    [
        new("tiny", 2, 2, 16, 126, 25, 128, 8),
        new("mid", 8, 16, 64, 126, 25, 1024, 32),
    ];

    public int Inner => Heads * HeadDim;

    public Dictionary<string, object> Describe() => new()
    {
        ["layers"] = Layers, ["heads"] = Heads, ["head_dim"] = HeadDim, ["audio_tokens"] = Tokens, ["suffix_tokens"] = Suffix,
        ["text_tokens"] = TextTokens, ["lora_rank"] = Rank,
    };

    /// <summary>The real 2.3 config with this size's depth and widths (the text context as wide as the audio stream).</summary>
    public LtxTransformerConfig Config()
    {
        var section = RealConfig.TransformerSection(Layers);
        section["audio_num_attention_heads"] = Heads;
        section["audio_attention_head_dim"] = HeadDim;
        section["audio_cross_attention_dim"] = Inner;
        section["audio_connector_num_attention_heads"] = Heads;
        section["audio_connector_attention_head_dim"] = HeadDim;
        using var doc = JsonDocument.Parse(section.ToJsonString());
        return LtxTransformerConfig.Parse(doc.RootElement, $"{Name} benchmark config");
    }
}

internal static class Bench
{
    private const int Clips = 8;

    /// <summary>Where the children run (--device); the dtype and recomputation follow the trainer's defaults for it.</summary>
    public static Device Device { get; set; } = CPU;

    private static TrainingRunOptions RunOptions(int steps) => new() { Seed = 7, CheckpointInterval = steps, Device = Device };

    private static AudioTransformer Model(Sizes s) =>
        new(s.Config(), new RandomWeightSource(RunOptions(1).ResolvedBaseDType, Device, seed: 1));

    private static TrainingData Data(Sizes s)
    {
        var g = new Generator(5);
        var samples = Enumerable.Range(0, Clips).Select(i => new TrainingSample($"clip{i}", randn(new long[] { 1, s.Tokens, 128 }, generator: g), i % 2)).ToList();
        var contexts = Enumerable.Range(0, 2).Select(_ => new AudioTextContext(randn(new long[] { 1, s.TextTokens, s.Inner }, generator: g),
            ones(new long[] { 1, s.TextTokens }, ScalarType.Int64))).ToList();
        return new TrainingData(samples, ["a", "b"], contexts, "bench");
    }

    private static TrainingPlan Plan(Sizes s, int steps) => TrainingPlan.For(
        new AudioSuffixConfig { TrainingDataUrl = "/bench.zip", Rank = s.Rank, NumberOfSteps = steps, ConditioningSeconds = s.Suffix / 25.0 },
        RunOptions(steps));

    /// <summary>The whole loop: one run of <paramref name="steps"/> steps with metrics, progress and a final checkpoint.</summary>
    public static Dictionary<string, object> Loop(Sizes s, int steps)
    {
        using var model = Model(s);
        using var data = Data(s);
        var folder = Directory.CreateTempSubdirectory("ltx-bench-loop-").FullName;
        try
        {
            long reports = 0;
            var progress = new Counter<TrainingProgress>(_ => reports++);
            var sw = Stopwatch.StartNew();
            var result = new TrainingLoop(model, Plan(s, steps), data, new TrainingRunFolder(folder)).Run(progress);
            sw.Stop();
            var emitted = Emit("loop", s, steps, sw.Elapsed.TotalSeconds, result.SmoothedLoss, reports);
            // The same run's split, insensitive to load changes between runs: time in the step vs the loop's own work.
            emitted["in_step_seconds"] = result.StepSeconds;
            emitted["loop_own_seconds"] = sw.Elapsed.TotalSeconds - result.StepSeconds;
            emitted["checkpoint_seconds"] = result.CheckpointSeconds;
            // Per-step work of the loop (data, draws, metrics line, progress) against the step itself ...
            emitted["loop_own_fraction_of_step"] = (sw.Elapsed.TotalSeconds - result.StepSeconds - result.CheckpointSeconds) / result.StepSeconds;
            // ... plus one checkpoint per 250 steps (ltx-trainer's audio recipe, this cmdlet's default interval), amortised.
            emitted["checkpoint_fraction_of_step_at_interval_250"] = result.CheckpointSeconds / (250 * result.StepSeconds / steps);
            return emitted;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The bare step: LoraTrainingStep.Step on batches drawn beforehand (data and draws outside the clock).</summary>
    public static Dictionary<string, object> Bare(Sizes s, int steps) => Bare(s, steps, Model(s), options => options);

    /// <summary>
    /// The bare step on the size's config without prompt AdaLN (with it the cross-attention context depends on σ and
    /// nothing can be kept), with the cross-attention key/value projections kept per caption or computed every step.
    /// Every clip has the first caption, so the one kept entry serves all steps, as in a dataset without captions.
    /// </summary>
    public static Dictionary<string, object> KeptKv(Sizes s, int steps, bool keep, bool recompute)
    {
        var model = new AudioTransformer(s.Config() with { UsePromptAdaLN = false }, new RandomWeightSource(ScalarType.Float32, CPU, seed: 1));
        var emitted = Bare(s, steps, model, options => options with
        {
            RecomputeActivations = recompute,
            CrossAttentionKvCacheBytes = keep ? TrainingStepOptions.DefaultCrossAttentionKvCacheBytes : 0,
        }, oneCaption: true);
        emitted["kv"] = keep;
        emitted["recompute"] = recompute;
        return emitted;
    }

    private static Dictionary<string, object> Bare(Sizes s, int steps, AudioTransformer model, Func<TrainingStepOptions, TrainingStepOptions> options,
        bool oneCaption = false)
    {
        using var owned = model;
        using var data = Data(s);
        var plan = Plan(s, steps);
        LoraTargets.AttachNew(model, plan.Lora, new Generator(7));
        using var step = new LoraTrainingStep(model, options(plan.StepOptions));
        var sampler = new SuffixBatchSampler(new ShiftedLogitNormalSampler(), plan.SuffixTokens);
        var g = new Generator(8);
        var positions = new AudioPatchifier().Positions(1, s.Tokens, Device);
        var batches = Enumerable.Range(0, steps).Select(i =>
        {
            var sample = data.Samples[i % Clips];
            var c = data.Contexts[oneCaption ? 0 : sample.CaptionIndex];
            return sampler.Draw(sample.Tokens.to(Device), c.Context.to(Device), c.Mask.to(Device), positions, g);
        }).ToList();
        double loss = 0;
        var sw = Stopwatch.StartNew();
        foreach (var b in batches)
        {
            using var scope = NewDisposeScope();
            loss = step.Step(b).Loss;
        }
        sw.Stop();
        return Emit("bare", s, steps, sw.Elapsed.TotalSeconds, loss, 0);
    }

    private static Dictionary<string, object> Emit(string mode, Sizes s, int steps, double seconds, double loss, long reports)
    {
        var run = RunOptions(steps);
        double flops = StepFlops.TrainingStep(s, run.ResolvedRecompute);
        double rate = StepFlops.MeasuredMatmulRate(Device, run.ResolvedBaseDType, Device.type == TorchSharp.DeviceType.CUDA ? 8192 : 1024);
        return new()
        {
            ["mode"] = mode, ["size"] = s.Name, ["steps"] = steps, ["seconds"] = seconds, ["steps_per_second"] = steps / seconds,
            ["last_loss"] = loss, ["progress_reports"] = reports, ["threads"] = get_num_threads(), ["peak_rss_bytes"] = ProcessMemory.PeakRss,
            ["model_flops_per_step"] = flops, ["matmul_flops_per_second"] = rate, ["mfu"] = flops * steps / seconds / rate,
        };
    }

    private sealed class Counter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
