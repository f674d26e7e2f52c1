using System.Diagnostics;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Bench.Transformer;

/// <summary>
/// One LoRA (r 32) training step of the real-width 2.3 transformer with <c>layers</c> blocks, random bf16
/// base weights, 126 audio tokens and a 1024-token context, with per-block recomputation.
/// </summary>
internal static class TrainStepBench
{
    public static Dictionary<string, object> Run(int layers, int tokens, int contextTokens, int steps, Device device)
    {
        long rssStart = ProcessMemory.CurrentRss;
        var config = RealConfig.Parse(layers);
        var build = Stopwatch.StartNew();
        using var model = new AudioTransformer(config, new RandomWeightSource(ScalarType.BFloat16, device, seed: 1));
        LoraTargets.AttachNew(model, new LoraConfig(Rank: 32, Alpha: 32), new Generator(2));
        using (no_grad())
            foreach (var p in LoraTargets.Parameters(model).Where(p => p.shape[1] == 32)) p.normal_(0, 0.01);   // B ≠ 0: all grads flow
        build.Stop();
        long rssModel = ProcessMemory.CurrentRss;

        using var step = new LoraTrainingStep(model, new TrainingStepOptions(new LearningRateSchedule(LearningRateScheduleKind.Linear, 2e-4, 3000)));
        var times = new List<double>();
        var losses = new List<double>();
        var g = new Generator(3);
        for (int i = 0; i < steps + 1; i++)
        {
            using var scope = NewDisposeScope();
            var batch = new SuffixTrainingBatch(
                X0: randn(new long[] { 1, tokens, 128 }, generator: g).to(device),
                Context: randn(new long[] { 1, contextTokens, 2048 }, generator: g).to(ScalarType.BFloat16, device),
                ContextMask: ones(1, contextTokens, ScalarType.Int64, device),
                Positions: new AudioPatchifier().Positions(1, tokens, device),
                Noise: randn(new long[] { 1, tokens, 128 }, generator: g).to(device),
                Sigma: tensor(new[] { 0.6f }).to(device),
                SuffixTokens: 8, Conditioned: [true]);
            var sw = Stopwatch.StartNew();
            var (loss, _) = step.Step(batch);
            sw.Stop();
            if (i > 0) times.Add(sw.Elapsed.TotalSeconds);   // the first step warms up allocators and kernels
            losses.Add(loss);
            Console.Error.WriteLine($"  depth {layers}: step {i} {sw.Elapsed.TotalSeconds:F2} s, loss {loss:F4}");
        }
        return new Dictionary<string, object>
        {
            ["layers"] = layers, ["audio_tokens"] = tokens, ["context_tokens"] = contextTokens, ["lora_rank"] = 32,
            ["base_dtype"] = "bfloat16", ["lora_dtype"] = "float32", ["recompute_activations"] = true, ["device"] = device.type.ToString(),
            ["threads"] = get_num_threads(),
            ["build_seconds"] = build.Elapsed.TotalSeconds,
            ["step_seconds"] = times, ["step_seconds_mean"] = times.Count > 0 ? times.Average() : double.NaN,
            ["losses"] = losses,
            ["parameters"] = model.parameters().Sum(p => p.numel()),
            ["rss_start_bytes"] = rssStart, ["rss_after_build_bytes"] = rssModel, ["peak_rss_bytes"] = ProcessMemory.PeakRss,
        };
    }
}
