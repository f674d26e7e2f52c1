using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Tests.Model;
using LtxTrainer.Core.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

/// <summary>
/// Proof that the loop learns: on data whose lead-in is determined by the caption and the suffix
/// (<see cref="SyntheticTrainingData"/>: tones whose pitch the caption names, leading into a fixed click), the
/// held-out lead-in loss of the trained LoRA is clearly below the untrained model's.
/// </summary>
public sealed class LearningTests(ITestOutputHelper output) : IDisposable
{
    private const long Tokens = 24, Suffix = 5;
    private readonly TransformerGolden _g = new();
    private readonly string _root = Directory.CreateTempSubdirectory("ltxt-learn-").FullName;

    public void Dispose()
    {
        _g.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Held_out_lead_in_loss_falls_clearly_below_the_untrained_model()
    {
        using var model = _g.LoadModel();
        using var train = SyntheticTrainingData.Create(_g, captions: 3, clipsPerCaption: 4, Tokens, Suffix, seed: 1);
        using var heldOut = SyntheticTrainingData.Create(_g, captions: 3, clipsPerCaption: 2, Tokens, Suffix, seed: 2);
        var plan = TrainingPlan.For(
            new AudioSuffixConfig { TrainingDataUrl = "/tones.zip", Rank = 16, NumberOfSteps = 150, LearningRate = 5e-3, ConditioningSeconds = Suffix / 25.0 },
            new TrainingRunOptions { Seed = 3, CheckpointInterval = 0 });
        Assert.Equal(Suffix, plan.SuffixTokens);

        double before = LeadInLoss(model, heldOut);          // the base model: nothing attached yet
        var result = new TrainingLoop(model, plan, train, new TrainingRunFolder(_root)).Run();
        double after = LeadInLoss(model, heldOut);
        double trainBefore = MetricsLog.Read(Path.Combine(_root, "metrics.jsonl")).Take(20).Average(m => m.Loss);

        output.WriteLine($"held-out lead-in loss: untrained {before:F4}, trained {after:F4} ({after / before:P1} of untrained)");
        output.WriteLine($"training loss: first 20 steps mean {trainBefore:F4}, smoothed at the end {result.SmoothedLoss:F4}; {result.StepsPerSecond:F1} steps/s");
        Assert.True(result.Completed);
        Assert.True(after < 0.6 * before, $"held-out loss {after:F4} is not clearly below the untrained {before:F4}");
    }

    /// <summary>
    /// Mean masked flow-matching loss over the held-out clips at fixed σ (0.3, 0.6, 0.9) and fixed noise, suffix
    /// clean: only the lead-in tokens count, as in training.
    /// </summary>
    private static double LeadInLoss(AudioTransformer model, TrainingData data)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var generator = new Generator(99);
        var losses = new List<double>();
        foreach (var sample in data.Samples)
        foreach (double s in new[] { 0.3, 0.6, 0.9 })
        {
            var x0 = sample.Tokens;
            var noise = randn(x0.shape, generator: generator);
            var inputs = SuffixConditioning.Apply(x0, noise, tensor(new[] { (float)s }), Suffix, [true]);
            var context = data.Contexts[sample.CaptionIndex];
            var prediction = model.Forward(new AudioTransformerInput(inputs.NoisyLatent, inputs.Sigma, inputs.Timesteps,
                new AudioPatchifier().Positions(1, x0.shape[1]), context.Context, context.Mask));
            losses.Add(FlowMatchingLoss.PerSample(prediction, inputs.Targets, inputs.LossMask).mean().item<float>());
        }
        model.train();
        return losses.Average();
    }
}
