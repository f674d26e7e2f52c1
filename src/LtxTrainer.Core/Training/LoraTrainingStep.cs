using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// One LoRA training step of the audio transformer with suffix conditioning (ltx_trainer/trainer.py,
/// training_strategies/flexible.py): noising, forward,
/// masked flow-matching loss, backward (optionally with per-block recomputation), global grad-norm clip,
/// AdamW, learning-rate schedule. Only the LoRA factors are trained; the base stays frozen.
/// </summary>
public sealed class LoraTrainingStep : IDisposable
{
    private readonly AudioTransformer _model;
    private readonly TrainingStepOptions _options;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly optim.Optimizer _optimizer;
    private readonly Generator _dropoutGenerator;
    private readonly CrossAttentionKvCache? _kvCache;

    public LoraTrainingStep(AudioTransformer model, TrainingStepOptions options)
    {
        _model = model;
        _options = options;
        _parameters = LoraTargets.Parameters(model);
        if (_parameters.Count == 0) throw new ArgumentException("The model has no LoRA adapters to train.", nameof(model));
        _optimizer = optim.AdamW(_parameters, options.Schedule.At(0), options.Beta1, options.Beta2, options.Eps, options.WeightDecay);
        _dropoutGenerator = new Generator((ulong)options.DropoutSeed, _parameters[0].device);
        if (options.CrossAttentionKvCacheBytes > 0 && model.CanKeepCrossAttentionKv)
            _kvCache = new CrossAttentionKvCache(model, options.CrossAttentionKvCacheBytes);
    }

    /// <summary>The kept cross-attention key/value projections, or null when the step computes them every time.</summary>
    public CrossAttentionKvCache? CrossAttentionKv => _kvCache;

    /// <summary>Optimizer steps taken so far.</summary>
    public int StepsTaken { get; private set; }

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public optim.Optimizer Optimizer => _optimizer;

    /// <summary>
    /// The generator of the LoRA dropout masks, owned by this step (its state belongs in a checkpoint).
    /// Not the process-wide default: another thread drawing from that one would change the masks
    /// between a block's forward and its recomputation.
    /// </summary>
    public Generator DropoutGenerator => _dropoutGenerator;

    /// <summary>Forward, loss and backward: the LoRA parameters' <c>.grad</c> hold d loss / d param afterwards.</summary>
    public TrainingForwardResult ComputeGradients(SuffixTrainingBatch batch)
    {
        _model.train();
        _optimizer.zero_grad();
        using var scope = NewDisposeScope();
        var inputs = SuffixConditioning.Apply(batch.X0, batch.Noise, batch.Sigma, batch.SuffixTokens, batch.Conditioned);
        var input = new AudioTransformerInput(inputs.NoisyLatent.to(_model.DType), inputs.Sigma, inputs.Timesteps, batch.Positions,
            batch.Context.to(_model.DType), batch.ContextMask);
        if (_kvCache?.Lookup(input.Context) is { } kept) input = input with { CrossAttentionKv = kept };
        var layers = LoraTargets.All(_model).Select(m => m.Layer).ToList();
        foreach (var layer in layers) layer.DropoutGenerator = _dropoutGenerator;
        Tensor loss, perSample, prediction;
        try
        {
            using var recompute = _options.RecomputeActivations ? new BlockRecomputation(_dropoutGenerator) : null;
            prediction = _model.Forward(input, runner: recompute);
            perSample = FlowMatchingLoss.PerSample(prediction, inputs.Targets, inputs.LossMask);
            loss = perSample.mean();
            loss.backward();
            recompute?.Complete();
        }
        finally
        {
            // The layers outlive this step; they must not keep drawing from its generator.
            foreach (var layer in layers) layer.DropoutGenerator = null;
        }
        double lossValue = loss.item<float>();
        var result = new TrainingForwardResult(inputs, prediction.detach(), perSample.detach(), lossValue);
        foreach (var t in new[] { inputs.NoisyLatent, inputs.Targets, inputs.Timesteps, inputs.LossMask, inputs.Sigma, result.Prediction, result.LossPerSample })
            t.MoveToOuterDisposeScope();
        return result;
    }

    /// <summary>Clips the global gradient norm, takes one AdamW step and advances the schedule; returns the pre-clip norm.</summary>
    public double ApplyUpdate()
    {
        double norm = nn.utils.clip_grad_norm_(_parameters, _options.MaxGradNorm);
        _optimizer.step();
        StepsTaken++;
        double next = _options.Schedule.At(StepsTaken);
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = next;
        return norm;
    }

    /// <summary>Both halves; returns (loss, pre-clip gradient norm).</summary>
    public (double Loss, double GradNorm) Step(SuffixTrainingBatch batch)
    {
        using var forward = ComputeGradients(batch);
        return (forward.Loss, ApplyUpdate());
    }

    /// <summary>Writes the optimizer's state (AdamW moments and step counts) to <paramref name="path"/>.</summary>
    public void SaveOptimizerState(string path) => ((OptimizerHelper)_optimizer).save_state_dict(path);

    /// <summary>
    /// Continues a run after <paramref name="stepsTaken"/> optimizer steps: loads the optimizer state written by
    /// <see cref="SaveOptimizerState"/> and sets the learning rate the schedule gives the next step.
    /// </summary>
    public void Restore(int stepsTaken, string optimizerStatePath)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepsTaken);
        ((OptimizerHelper)_optimizer).load_state_dict(optimizerStatePath);
        StepsTaken = stepsTaken;
        double next = _options.Schedule.At(StepsTaken);
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = next;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _dropoutGenerator.Dispose();
        _kvCache?.Dispose();
    }
}
