using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Connector;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Tests.Model;
using LtxTrainer.Core.Training;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

public sealed class TrainingGoldenTests : IDisposable
{
    private readonly TransformerGolden _g;

    public TrainingGoldenTests(Xunit.Abstractions.ITestOutputHelper output) => _g = new TransformerGolden { Report = output.WriteLine };

    public void Dispose() => _g.Dispose();

    [Fact]
    public void Shifted_logit_normal_sampler_matches_with_injected_draws()
    {
        using var scope = NewDisposeScope();
        var sampler = new ShiftedLogitNormalSampler();
        var lengths = _g.Params("sampler").GetProperty("seq_lengths").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.NotEmpty(lengths);
        foreach (long seqLength in lengths)
        {
            var sigmas = sampler.FromDraws(_g.Tensor("sampler.normal"), _g.Tensor("sampler.uniform"), _g.Tensor("sampler.prob"), seqLength);
            _g.AssertClose($"sampler.sigmas_seq{seqLength}", sigmas, 1e-6);
        }
    }

    [Fact]
    public void Seeded_sampler_draws_randn_then_rand_then_rand()
    {
        using var scope = NewDisposeScope();
        var sampler = new ShiftedLogitNormalSampler();
        var a = sampler.Sample(8, 126, new Generator(42));
        var g = new Generator(42);
        var expected = sampler.FromDraws(randn(new long[] { 8 }, generator: g), rand(new long[] { 8 }, generator: g), rand(new long[] { 8 }, generator: g), 126);
        Assert.Equal(0f, (a - expected).abs().max().item<float>());
        Assert.True(a.min().item<float>() >= 0f && a.max().item<float>() <= 1f);
    }

    [Fact]
    public void Positions_match_the_patchifier()
    {
        using var expected = _g.Tensor("train_step.positions");
        using var actual = new AudioPatchifier().Positions(expected.shape[0], expected.shape[2]);
        _g.AssertClose("train_step.positions", actual, 1e-7);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Train_step_matches_prediction_loss_grads_and_update(bool recompute)
    {
        using var model = _g.LoadModel();
        using (var lora = LoraFile.Load(_g.LoraPath))
            LoraTargets.AttachFrom(model, lora, trainable: true);
        using var connector = AudioEmbeddingsConnector.Load(_g.Checkpoint, ScalarType.Float32);
        using var scope = NewDisposeScope();
        var p = _g.Params("train_step");
        long k = p.GetProperty("suffix_temporal_boundary").GetInt64();
        double lr = p.GetProperty("lr").GetDouble();
        double maxNorm = p.GetProperty("max_grad_norm").GetDouble();

        var x0Latent = _g.Tensor("train_step.x0_latent");                                   // [B, C, T, F]
        long b = x0Latent.shape[0], t = x0Latent.shape[2];
        var x0 = AudioPatchifier.Patchify(x0Latent);
        _g.AssertClose("train_step.x0_patchified", x0, 0);
        Tensor context;
        using (no_grad())
            context = connector.Forward(_g.Tensor("train_step.audio_prompt_features"), _g.Tensor("train_step.prompt_attention_mask"));

        var batch = new SuffixTrainingBatch(x0, context, _g.Tensor("train_step.context_mask"), new AudioPatchifier().Positions(b, t),
            _g.Tensor("train_step.noise"), _g.Tensor("train_step.sigma"), k, Enumerable.Repeat(true, (int)b).ToArray());
        using var step = new LoraTrainingStep(model, new TrainingStepOptions(
            new LearningRateSchedule(LearningRateScheduleKind.Linear, lr, 3000), MaxGradNorm: maxNorm, RecomputeActivations: recompute));
        using var forward = step.ComputeGradients(batch);
        _g.AssertClose("train_step.noisy_latent", forward.Inputs.NoisyLatent, 1e-6);
        _g.AssertClose("train_step.timesteps", forward.Inputs.Timesteps, 1e-6);
        _g.AssertClose("train_step.targets", forward.Inputs.Targets, 1e-6);
        _g.AssertClose("train_step.loss_mask", forward.Inputs.LossMask.to(ScalarType.Int64), 0);
        _g.AssertClose("train_step.prediction", forward.Prediction, 5e-5);
        _g.AssertClose("train_step.loss_per_sample", forward.LossPerSample, 1e-5);
        _g.AssertClose("train_step.loss", tensor((float)forward.Loss), 1e-5);

        var named = model.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        var keys = _g.Json.RootElement.GetProperty("cases").GetProperty("train_step").GetProperty("outputs").EnumerateObject()
            .Select(o => o.Name).Where(n => n.StartsWith("grad.diffusion_model.", StringComparison.Ordinal)).ToList();
        Assert.Equal(LoraTargets.Parameters(model).Count, keys.Count);
        foreach (var key in keys)
        {
            string param = key["grad.diffusion_model.".Length..];
            using var expected = _g.Tensor("train_step." + key);
            TensorAssert.Close(expected, named[param].grad!, _g.Tolerance("train_step." + key, recommended: 1e-4).Atol, key, report: _g.Report);
        }

        double norm = step.ApplyUpdate();
        _g.AssertClose("train_step.grad_total_norm", tensor((float)norm), 5e-5);
        foreach (var key in keys)
        {
            string param = key["grad.diffusion_model.".Length..];
            string after = "train_step.after_step.diffusion_model." + param;
            _g.AssertClose(after, named[param], 2e-6);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    public void Recomputation_gives_the_same_gradients(double dropout)
    {
        using var scope = NewDisposeScope();
        var plain = LoraGradients(_g, dropout, recompute: false, dropoutSeed: 11);
        AssertSameGradients(plain, LoraGradients(_g, dropout, recompute: true, dropoutSeed: 11));
        if (dropout > 0)
        {
            // The masks come from the step's own seeded generator: another seed gives other gradients.
            var other = LoraGradients(_g, dropout, recompute: false, dropoutSeed: 12);
            Assert.Contains(plain, kv => !kv.Value.equal(other[kv.Key]).all().item<bool>());
        }
    }

    /// <summary>The LoRA gradients of one training step on the golden batch, with fresh non-zero adapters.</summary>
    internal static Dictionary<string, Tensor> LoraGradients(TransformerGolden golden, double dropout, bool recompute, long dropoutSeed)
    {
        using var model = golden.LoadModel();
        LoraTargets.AttachNew(model, new LoraConfig(Rank: 4, Alpha: 8, Dropout: dropout), new Generator(3));
        using (no_grad())
            foreach (var prm in LoraTargets.Parameters(model)) prm.uniform_(-0.3, 0.3, new Generator(5));
        using var step = new LoraTrainingStep(model, new TrainingStepOptions(
            new LearningRateSchedule(LearningRateScheduleKind.Constant, 1e-4, 10), RecomputeActivations: recompute, DropoutSeed: dropoutSeed));
        using var forward = step.ComputeGradients(GoldenBatch(golden));
        return Gradients(model);
    }

    /// <summary>The golden training batch with its connector context, every other sample conditioned.</summary>
    internal static SuffixTrainingBatch GoldenBatch(TransformerGolden golden)
    {
        var x0 = AudioPatchifier.Patchify(golden.Tensor("train_step.x0_latent"));
        long b = x0.shape[0], t = x0.shape[1];
        long k = golden.Params("train_step").GetProperty("suffix_temporal_boundary").GetInt64();
        return new SuffixTrainingBatch(x0, golden.Tensor("train_step.audio_context"), golden.Tensor("train_step.context_mask"), new AudioPatchifier().Positions(b, t),
            golden.Tensor("train_step.noise"), golden.Tensor("train_step.sigma"), k, Enumerable.Range(0, (int)b).Select(i => i % 2 == 0).ToArray());
    }

    /// <summary>Copies of the trainable parameters' gradients by name.</summary>
    internal static Dictionary<string, Tensor> Gradients(AudioTransformer model) =>
        model.named_parameters().Where(n => n.parameter.requires_grad).ToDictionary(n => n.name, n => n.parameter.grad!.clone());

    internal static void AssertSameGradients(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, g0) in expected)
            Assert.True(g0.equal(actual[name]).all().item<bool>(), $"{name} differs with recomputation");
    }
}
