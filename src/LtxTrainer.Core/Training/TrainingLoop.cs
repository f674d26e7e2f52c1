using System.Diagnostics;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// The training loop around <see cref="LoraTrainingStep"/> (ltx-trainer <c>trainer.py</c> with the flexible
/// strategy's suffix condition): fresh LoRA adapters from the seed, clips in a seeded order (batch 1), the step's
/// draws from one seeded generator, one metrics line per step, a checkpoint every N steps and when cancelled.
/// A resumed run restores the LoRA, the optimizer, the generator and the step, so it continues bit for bit.
/// </summary>
public sealed class TrainingLoop
{
    private readonly AudioTransformer _model;
    private readonly TrainingPlan _plan;
    private readonly TrainingData _data;
    private readonly TrainingRunFolder _folder;

    public TrainingLoop(AudioTransformer model, TrainingPlan plan, TrainingData data, TrainingRunFolder folder)
    {
        _model = model;
        _plan = plan;
        _data = data;
        _folder = folder;
        foreach (var s in data.Samples)
            if (s.Tokens.shape[1] <= plan.SuffixTokens)
                throw new ArgumentException(
                    $"Clip '{s.Name}' has {s.Tokens.shape[1]} latent steps; the suffix alone takes {plan.SuffixTokens}.", nameof(data));
    }

    /// <summary>Fingerprint a checkpoint must carry to be resumed by this loop.</summary>
    public string Fingerprint => _plan.Fingerprint(_data.Fingerprint);

    /// <summary>
    /// Trains from step 0, or from the newest checkpoint when the plan says resume. Returns when all steps are
    /// done or, after <paramref name="cancellationToken"/> fires, once a checkpoint of the steps done is written.
    /// <paramref name="validate"/> is called with the step number every <see cref="TrainingRunOptions.ValidationInterval"/>
    /// steps before the last (the caller previews the end itself).
    /// </summary>
    /// <exception cref="TrainingDivergedException">A loss or gradient norm was NaN or infinite.</exception>
    /// <exception cref="TrainingCheckpointException">A checkpoint could not be written or the one to resume is unusable.</exception>
    public TrainingLoopResult Run(IProgress<TrainingProgress>? progress = null, Action<int>? validate = null, CancellationToken cancellationToken = default)
    {
        var run = _plan.Run;
        var device = run.ResolvedDevice;
        int total = _plan.Steps;
        Directory.CreateDirectory(_folder.Root);

        // LoRA initialisation is seeded separately from the training draws, so the draws do not depend on the model size.
        LoraTargets.AttachNew(_model, _plan.Lora, new Generator(unchecked((ulong)run.Seed)));
        using var step = new LoraTrainingStep(_model, _plan.StepOptions);
        using var draws = new Generator(unchecked((ulong)run.Seed + 1));
        var sampler = new SuffixBatchSampler(new ShiftedLogitNormalSampler(), _plan.SuffixTokens, _plan.SuffixProbability);

        int start = 0;
        double lastLoss = double.NaN, smoothed = double.NaN;
        string? lastCheckpoint = null;
        if (run.Resume && TrainingCheckpoint.Latest(_folder.Checkpoints) is { } resumeFrom)
        {
            var state = resumeFrom.ReadState();
            if (state.PlanFingerprint != Fingerprint)
                throw new TrainingCheckpointException(
                    $"The checkpoint '{resumeFrom.Folder}' belongs to a run with other settings or data; resume it with the same request, seed and dataset, or start over.",
                    resumeFrom.Folder);
            resumeFrom.RestoreLora(_model);
            step.Restore(state.Step, resumeFrom.OptimizerPath);
            using (var g = TrainingCheckpoint.Decode(state.GeneratorState)) draws.set_state(g);
            using (var g = TrainingCheckpoint.Decode(state.DropoutRngState)) step.DropoutGenerator.set_state(g);
            start = state.Step;
            lastLoss = state.LastLoss;
            smoothed = state.SmoothedLoss;
            lastCheckpoint = resumeFrom.Folder;
            Report(progress, TrainingPhase.Training, start, lastLoss, smoothed, double.NaN, null, $"Resumed from step {start} ({resumeFrom.Folder}).");
        }

        using var metrics = MetricsLog.Open(_folder.Metrics, start);
        var positions = new Dictionary<long, Tensor>();
        var clock = Stopwatch.StartNew();
        var inStep = new Stopwatch();
        var inCheckpoint = new Stopwatch();
        int done = start;
        int orderEpoch = -1;
        int[] order = [];
        try
        {
            for (int s = start; s < total; s++)
            {
                if (cancellationToken.IsCancellationRequested) break;
                var stepClock = Stopwatch.StartNew();
                int n = _data.Samples.Count;
                if (s / n != orderEpoch) order = DataOrder.ForEpoch(run.Seed, orderEpoch = s / n, n);   // once per epoch, not per step
                var sample = _data.Samples[order[s % n]];
                var context = _data.Contexts[sample.CaptionIndex];
                double lr = _plan.StepOptions.Schedule.At(s);
                double loss, norm, sigma;
                using (var scope = NewDisposeScope())
                {
                    long t = sample.Tokens.shape[1];
                    if (!positions.TryGetValue(t, out var pos))
                        positions[t] = pos = new AudioPatchifier().Positions(1, t, device).DetachFromDisposeScope();
                    var x0 = sample.Tokens.to(ScalarType.Float32, device);
                    var batch = sampler.Draw(x0, context.Context.to(device), context.Mask.to(device), pos, draws);
                    sigma = batch.Sigma.item<float>();
                    inStep.Start();
                    using (var forward = step.ComputeGradients(batch)) loss = forward.Loss;
                    if (!double.IsFinite(loss))
                        throw new TrainingDivergedException(s + 1, loss, double.NaN, lastCheckpoint);
                    norm = step.ApplyUpdate();
                    inStep.Stop();
                    if (!double.IsFinite(norm))
                        throw new TrainingDivergedException(s + 1, loss, norm, lastCheckpoint);
                }
                done = s + 1;
                lastLoss = loss;
                smoothed = double.IsNaN(smoothed) ? loss : smoothed + run.LossSmoothing * (loss - smoothed);
                metrics.Append(new StepMetrics(done, loss, lr, sigma, norm, stepClock.Elapsed.TotalSeconds));

                double rate = (done - start) / clock.Elapsed.TotalSeconds;
                Report(progress, TrainingPhase.Training, done, loss, smoothed, rate, TimeSpan.FromSeconds((total - done) / rate), $"Step {done} of {total}");

                if (run.CheckpointInterval > 0 && done % run.CheckpointInterval == 0)
                    lastCheckpoint = Checkpoint(step, done, lastLoss, smoothed, progress);
                if (run.ValidationInterval > 0 && done % run.ValidationInterval == 0 && done < total && validate is not null)
                {
                    Report(progress, TrainingPhase.Previewing, done, lastLoss, smoothed, rate, null, $"Validation previews at step {done}");
                    validate(done);
                }
            }

            // Stopped early: keep what was done (unless a checkpoint of exactly this step exists already).
            if (done < total && done > 0 && (lastCheckpoint is null || TrainingCheckpoint.Latest(_folder.Checkpoints)?.Step != done))
                lastCheckpoint = Checkpoint(step, done, lastLoss, smoothed, progress);
        }
        finally
        {
            foreach (var p in positions.Values) p.Dispose();
        }

        double seconds = clock.Elapsed.TotalSeconds;
        return new TrainingLoopResult(done, total, done >= total, lastLoss, smoothed, seconds > 0 ? (done - start) / seconds : double.NaN,
            clock.Elapsed, lastCheckpoint, start, inStep.Elapsed.TotalSeconds, inCheckpoint.Elapsed.TotalSeconds);

        string Checkpoint(LoraTrainingStep st, int at, double loss, double smooth, IProgress<TrainingProgress>? p)
        {
            Report(p, TrainingPhase.Checkpointing, at, loss, smooth, double.NaN, null, $"Checkpoint at step {at}");
            int epoch = at / _data.Samples.Count;
            var state = new TrainingCheckpointState(TrainingCheckpointState.CurrentFormatVersion, at, total, Fingerprint, epoch,
                at % _data.Samples.Count, DataOrder.ForEpoch(run.Seed, epoch, _data.Samples.Count),
                TrainingCheckpoint.Encode(draws.get_state()), TrainingCheckpoint.Encode(st.DropoutGenerator.get_state()), loss, smooth,
                _plan.StepOptions.Schedule.At(at));
            inCheckpoint.Start();
            try
            {
                return TrainingCheckpoint.Write(_folder.Checkpoints, st, _model, state, run.KeepCheckpoints).Folder;
            }
            finally
            {
                inCheckpoint.Stop();
            }
        }
    }

    private void Report(IProgress<TrainingProgress>? progress, TrainingPhase phase, int step, double loss, double smoothed, double rate, TimeSpan? eta, string message) =>
        progress?.Report(new TrainingProgress(phase, step, _plan.Steps, loss, smoothed, _plan.StepOptions.Schedule.At(step), rate, eta, message,
            _plan.Steps > 0 ? (double)step / _plan.Steps : null));
}
