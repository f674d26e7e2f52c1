using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Tests.Ingest;
using LtxTrainer.Core.Tests.Model;
using LtxTrainer.Core.Training;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

/// <summary>The loop on the tiny golden transformer: checkpoints, resume, failures.</summary>
public sealed class TrainingLoopTests : IDisposable
{
    private const long Tokens = 20;
    private readonly TransformerGolden _g = new();
    private readonly string _root = Directory.CreateTempSubdirectory("ltxt-loop-").FullName;

    public void Dispose()
    {
        _g.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static TrainingPlan Plan(int steps, int interval, int keep = 2, bool resume = false) => TrainingPlan.For(
        new AudioSuffixConfig { TrainingDataUrl = "/d.zip", Rank = 8, NumberOfSteps = steps, LearningRate = 1e-3, ConditioningSeconds = 0.2 },
        new TrainingRunOptions { Seed = 5, CheckpointInterval = interval, KeepCheckpoints = keep, Resume = resume });

    private TrainingData Data() => SyntheticTrainingData.Create(_g, captions: 2, clipsPerCaption: 3, Tokens, suffixTokens: 5, seed: 1);

    private (TrainingLoopResult Result, byte[] Lora) Train(TrainingPlan plan, TrainingRunFolder folder, IProgress<TrainingProgress>? progress = null,
        CancellationToken token = default)
    {
        using var model = _g.LoadModel();
        using var data = Data();
        var result = new TrainingLoop(model, plan, data, folder).Run(progress, null, token);
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".safetensors");
        LoraFile.Save(path, model, ScalarType.Float32);
        return (result, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_resumed_run_writes_the_same_lora_bytes_as_an_uninterrupted_one()
    {
        var whole = new TrainingRunFolder(Path.Combine(_root, "whole"));
        var (full, fullLora) = Train(Plan(12, interval: 4), whole);
        Assert.True(full.Completed);
        Assert.Equal(12, full.StepsDone);

        // Stop after step 7 (a cancellation, as Ctrl+C gives): a checkpoint of step 7 is written.
        var split = new TrainingRunFolder(Path.Combine(_root, "split"));
        using var cts = new CancellationTokenSource();
        var stopAt7 = new SyncProgress<TrainingProgress>(p => { if (p.Phase == TrainingPhase.Training && p.Step == 7) cts.Cancel(); });
        var (partial, _) = Train(Plan(12, interval: 4), split, stopAt7, cts.Token);
        Assert.False(partial.Completed);
        Assert.Equal(7, partial.StepsDone);
        Assert.Equal([4, 7], TrainingCheckpoint.List(split.Checkpoints).Select(c => c.Step));

        var (resumed, resumedLora) = Train(Plan(12, interval: 4, resume: true), split);
        Assert.Equal(7, resumed.ResumedFromStep);
        Assert.True(resumed.Completed);
        Assert.Equal(fullLora, resumedLora);

        // The metrics read as one run, equal to the uninterrupted one's losses, σ and norms.
        var a = MetricsLog.Read(whole.Metrics);
        var b = MetricsLog.Read(split.Metrics);
        Assert.Equal(Enumerable.Range(1, 12), b.Select(m => m.Step));
        Assert.Equal(a.Select(m => (m.Loss, m.Sigma, m.GradNorm, m.LearningRate)), b.Select(m => (m.Loss, m.Sigma, m.GradNorm, m.LearningRate)));
    }

    [Fact]
    public void Only_the_newest_checkpoints_are_kept_and_each_is_complete()
    {
        var folder = new TrainingRunFolder(Path.Combine(_root, "keep"));
        Train(Plan(10, interval: 2, keep: 2), folder);
        var kept = TrainingCheckpoint.List(folder.Checkpoints);
        Assert.Equal([8, 10], kept.Select(c => c.Step));
        Assert.Equal(["step_000008", "step_000010"], Directory.GetDirectories(folder.Checkpoints).Select(Path.GetFileName).Order());
        var state = kept[^1].ReadState();
        Assert.Equal(10, state.Step);
        Assert.Equal(DataOrder.ForEpoch(5, state.Epoch, 6), state.EpochOrder);
        Assert.True(double.IsFinite(state.LastLoss));
    }

    [Fact]
    public void Metrics_have_one_line_per_step_with_the_documented_fields()
    {
        var folder = new TrainingRunFolder(Path.Combine(_root, "metrics"));
        Train(Plan(5, interval: 0), folder);
        var lines = File.ReadAllLines(folder.Metrics);
        Assert.Equal(5, lines.Length);
        using var doc = System.Text.Json.JsonDocument.Parse(lines[0]);
        Assert.Equal(["grad_norm", "loss", "lr", "seconds", "sigma", "step"], doc.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(1e-3, doc.RootElement.GetProperty("lr").GetDouble(), 12);
        var m = MetricsLog.Read(folder.Metrics);
        Assert.All(m, x => Assert.True(x.Sigma is >= 0 and <= 1 && x.Loss > 0 && x.GradNorm > 0 && x.Seconds > 0));
        Assert.True(m[4].LearningRate < m[0].LearningRate);          // the linear schedule decays
    }

    [Fact]
    public void A_nan_loss_stops_with_the_step_named_and_the_last_checkpoint_kept()
    {
        var folder = new TrainingRunFolder(Path.Combine(_root, "nan"));
        using var model = _g.LoadModel();
        using var data = Data();
        // Poison the clip that step 5 uses (the order is a pure function of seed and step).
        int poisoned = DataOrder.At(5, 4, data.Samples.Count);
        var firstBad = Enumerable.Range(0, 10).First(s => DataOrder.At(5, s, data.Samples.Count) == poisoned) + 1;
        data.Samples[poisoned].Tokens.fill_(double.NaN);
        var e = Assert.Throws<TrainingDivergedException>(() => new TrainingLoop(model, Plan(10, interval: 2), data, folder).Run());
        Assert.Equal(firstBad, e.Step);
        Assert.Contains($"step {firstBad}", e.Message);
        var last = TrainingCheckpoint.Latest(folder.Checkpoints);
        Assert.NotNull(last);
        Assert.Equal((firstBad - 1) / 2 * 2, last.Step);
        Assert.Equal(last.Folder, e.LastCheckpoint);
    }

    [Fact]
    public void A_failed_checkpoint_write_is_an_error_that_keeps_the_previous_checkpoint()
    {
        var folder = new TrainingRunFolder(Path.Combine(_root, "io"));
        using var model = _g.LoadModel();
        using var data = Data();
        // Something that is not ours occupies the name of step 4's checkpoint: the write fails there.
        var blocked = Path.Combine(folder.Checkpoints, TrainingCheckpoint.NameFor(4));
        Directory.CreateDirectory(folder.Checkpoints);
        File.WriteAllText(blocked, "not a checkpoint");
        var e = Assert.Throws<TrainingCheckpointException>(() => new TrainingLoop(model, Plan(8, interval: 2), data, folder).Run());
        Assert.Contains("step 4", e.Message);
        Assert.Equal([2], TrainingCheckpoint.List(folder.Checkpoints).Select(c => c.Step));
        Assert.Equal("not a checkpoint", File.ReadAllText(blocked));
        Assert.DoesNotContain(Directory.GetDirectories(folder.Checkpoints), d => d.Contains(".partial-"));
    }

    [Fact]
    public void Resuming_with_other_settings_is_refused()
    {
        var folder = new TrainingRunFolder(Path.Combine(_root, "mismatch"));
        Train(Plan(4, interval: 2), folder);
        var other = TrainingPlan.For(
            new AudioSuffixConfig { TrainingDataUrl = "/d.zip", Rank = 8, NumberOfSteps = 4, LearningRate = 5e-4, ConditioningSeconds = 0.2 },
            new TrainingRunOptions { Seed = 5, CheckpointInterval = 2, Resume = true });
        var e = Assert.Throws<TrainingCheckpointException>(() => Train(other, folder));
        Assert.Contains("other settings", e.Message);
    }
}
