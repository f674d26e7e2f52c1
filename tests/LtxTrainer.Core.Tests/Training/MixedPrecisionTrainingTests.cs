using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Tests.Model;
using LtxTrainer.Core.Training;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

/// <summary>The production precision layout (bf16 frozen base, fp32 LoRA and optimizer) on the tiny model.</summary>
public sealed class MixedPrecisionTrainingTests : IDisposable
{
    private readonly TransformerGolden _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public void Bf16_base_with_fp32_lora_trains_close_to_fp32()
    {
        var losses = new Dictionary<ScalarType, double>();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var model = AudioTransformer.Load(_g.Checkpoint, dtype);
            using (var lora = LoraFile.Load(_g.LoraPath))
                LoraTargets.AttachFrom(model, lora, trainable: true);
            using var scope = NewDisposeScope();
            var x0 = AudioPatchifier.Patchify(_g.Tensor("train_step.x0_latent"));
            long b = x0.shape[0], t = x0.shape[1];
            long k = _g.Params("train_step").GetProperty("suffix_temporal_boundary").GetInt64();
            var batch = new SuffixTrainingBatch(x0, _g.Tensor("train_step.audio_context"), null, new AudioPatchifier().Positions(b, t),
                _g.Tensor("train_step.noise"), _g.Tensor("train_step.sigma"), k, Enumerable.Repeat(true, (int)b).ToArray());
            using var step = new LoraTrainingStep(model, new TrainingStepOptions(new LearningRateSchedule(LearningRateScheduleKind.Constant, 1e-4, 1)));
            using var forward = step.ComputeGradients(batch);
            Assert.All(LoraTargets.Parameters(model), p =>
            {
                Assert.Equal(ScalarType.Float32, p.dtype);
                Assert.Equal(ScalarType.Float32, p.grad!.dtype);
            });
            Assert.All(model.parameters().Where(p => !p.requires_grad), p => Assert.Equal(dtype, p.dtype));
            step.ApplyUpdate();
            losses[dtype] = forward.Loss;
        }
        Assert.True(Math.Abs(losses[ScalarType.BFloat16] - losses[ScalarType.Float32]) < 0.05 * losses[ScalarType.Float32],
            $"bf16 loss {losses[ScalarType.BFloat16]} vs fp32 {losses[ScalarType.Float32]}");
    }
}
