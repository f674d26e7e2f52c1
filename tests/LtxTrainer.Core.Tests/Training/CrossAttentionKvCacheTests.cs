using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Tests.Model;
using LtxTrainer.Core.Training;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

/// <summary>
/// The step that keeps the cross-attentions' base key/value projections per caption against the step that computes
/// them every time, on the tiny golden checkpoint. Its 2.3 config modulates the context by σ (prompt AdaLN), where
/// nothing can be kept, so the kept path runs on the same weights with prompt AdaLN off (the 2.3 layout without it).
/// </summary>
public sealed class CrossAttentionKvCacheTests : IDisposable
{
    private readonly TransformerGolden _g = new();

    public void Dispose() => _g.Dispose();

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(true, 0.25)]
    public void Kept_projections_give_the_same_loss_and_gradients_before_and_after_an_update(bool recompute, double dropout)
    {
        using var scope = NewDisposeScope();
        using var plainModel = LoadWithoutPromptAdaLN(dropout);
        using var keptModel = LoadWithoutPromptAdaLN(dropout);
        using var plain = NewStep(plainModel, recompute, cacheBytes: 0);
        using var kept = NewStep(keptModel, recompute, cacheBytes: TrainingStepOptions.DefaultCrossAttentionKvCacheBytes);
        Assert.Null(plain.CrossAttentionKv);
        Assert.NotNull(kept.CrossAttentionKv);

        // Step 1: the golden batch, one caption per sample; step 2 (after an AdamW update of both): its first caption
        // for every sample, already kept, so the cache must hold nothing that depends on the LoRA factors.
        var first = TrainingGoldenTests.GoldenBatch(_g);
        long b = first.X0.shape[0];
        var second = first with { Context = first.Context[..1].expand(b, -1, -1).contiguous() };
        foreach (var batch in new[] { first, second })
        {
            using var expected = plain.ComputeGradients(batch);
            using var actual = kept.ComputeGradients(batch);
            Assert.Equal(expected.Loss, actual.Loss);
            Assert.True(expected.Prediction.equal(actual.Prediction).all().item<bool>(), "predictions differ");
            TrainingGoldenTests.AssertSameGradients(TrainingGoldenTests.Gradients(plainModel), TrainingGoldenTests.Gradients(keptModel));
            Assert.Equal(plain.ApplyUpdate(), kept.ApplyUpdate());
        }
        Assert.Equal(DistinctRows(first.Context), kept.CrossAttentionKv!.Count);
    }

    [Fact]
    public void A_model_with_prompt_AdaLN_computes_the_projections_every_step()
    {
        using var model = _g.LoadModel();
        LoraTargets.AttachNew(model, new LoraConfig(Rank: 4, Alpha: 8), new Generator(3));
        Assert.False(model.CanKeepCrossAttentionKv);
        using var step = NewStep(model, recompute: false, cacheBytes: TrainingStepOptions.DefaultCrossAttentionKvCacheBytes);
        Assert.Null(step.CrossAttentionKv);
        Assert.Throws<ArgumentException>(() => new CrossAttentionKvCache(model, 1 << 20));
    }

    [Fact]
    public void A_caption_over_the_budget_is_not_kept()
    {
        using var scope = NewDisposeScope();
        using var model = LoadWithoutPromptAdaLN(dropout: 0);
        var context = _g.Tensor("train_step.audio_context");
        long oneCaption = (context[0].NumberOfElements + 2L * model.Config.NumLayers * context.shape[1] * model.Config.AudioInnerDim) * context.ElementSize;
        using (var tight = new CrossAttentionKvCache(model, oneCaption - 1))
        {
            Assert.Null(tight.Lookup(context[..1]));
            Assert.Equal(0, tight.Count);
        }
        using var fits = new CrossAttentionKvCache(model, oneCaption);
        var kv = fits.Lookup(context[..1]);
        Assert.NotNull(kv);
        Assert.Equal(model.Config.NumLayers, kv!.Count);
        Assert.Equal(oneCaption, fits.Bytes);
    }

    private AudioTransformer LoadWithoutPromptAdaLN(double dropout)
    {
        var model = new AudioTransformer(_g.Checkpoint.Config with { UsePromptAdaLN = false }, _g.Checkpoint.TransformerWeights(ScalarType.Float32));
        LoraTargets.AttachNew(model, new LoraConfig(Rank: 4, Alpha: 8, Dropout: dropout), new Generator(3));
        // Non-zero B factors, so the to_k/to_v updates take part in the forward and get gradients of their own.
        using (no_grad())
            foreach (var prm in LoraTargets.Parameters(model)) prm.uniform_(-0.3, 0.3, new Generator(5));
        return model;
    }

    private static LoraTrainingStep NewStep(AudioTransformer model, bool recompute, long cacheBytes) =>
        new(model, new TrainingStepOptions(new LearningRateSchedule(LearningRateScheduleKind.Constant, 1e-3, 10),
            RecomputeActivations: recompute, DropoutSeed: 11, CrossAttentionKvCacheBytes: cacheBytes));

    private static int DistinctRows(Tensor context)
    {
        var rows = Enumerable.Range(0, (int)context.shape[0]).Select(i => context[i]).ToList();
        return rows.Where((r, i) => !rows.Take(i).Any(o => o.equal(r).all().item<bool>())).Count();
    }
}
