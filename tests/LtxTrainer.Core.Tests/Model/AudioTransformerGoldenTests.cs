using LtxTrainer.Core.Model.Common;
using LtxTrainer.Core.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Model;

public sealed class AudioTransformerGoldenTests : IClassFixture<TransformerGoldenFixture>
{
    private readonly TransformerGolden _g;
    private readonly AudioTransformer _model;

    public AudioTransformerGoldenTests(TransformerGoldenFixture f, Xunit.Abstractions.ITestOutputHelper output)
    {
        _g = f.Golden;
        _g.Report = output.WriteLine;
        _model = f.Model;
    }

    [Fact]
    public void Forward_matches_velocity_and_denoised()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = _g.ForwardInput();
        var v = _model.Forward(input);
        _g.AssertClose("forward.velocity", v, 5e-5);
        var x0 = AudioTransformer.Denoised(input.Latent, v, input.Timesteps);
        _g.AssertClose("forward.denoised", x0, 5e-5);
    }

    [Fact]
    public void Block_outputs_match_the_recorded_intermediates()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var recorder = new RecordingRunner();
        _model.Forward(_g.ForwardInput(), runner: recorder);
        Assert.Equal(_model.Blocks.Count, recorder.Outputs.Count);
        int compared = 0;
        for (int i = 0; i < recorder.Outputs.Count; i++)
        {
            using var output = recorder.Outputs[i];
            if (!_g.Has($"forward.block{i}_out")) continue;
            _g.AssertClose($"forward.block{i}_out", output, 5e-5);
            compared++;
        }
        Assert.True(compared > 0, "the golden forward case records no block output");
    }

    /// <summary>Runs the blocks as usual and keeps a copy of each block's output.</summary>
    private sealed class RecordingRunner : IBlockRunner
    {
        public List<Tensor> Outputs { get; } = [];

        public Tensor Run(int blockIndex, Tensor input, Func<Tensor, Tensor> block)
        {
            var y = block(input);
            Outputs.Add(y.detach().clone().DetachFromDisposeScope());
            return y;
        }

        public Tensor Retain(Tensor tensor) => tensor;
    }

    [Fact]
    public void Forward_with_timesteps_B_T_1_equals_B_T()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = _g.ForwardInput();
        var a = _model.Forward(input);
        var b = _model.Forward(input with { Timesteps = input.Timesteps.unsqueeze(-1) });
        Assert.Equal(0.0, (a - b).abs().max().item<float>());
    }

    [Fact]
    public void Stg_skip_all_and_partial_match()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = _g.Params("forward_stg");
        int allBlock = p.GetProperty("stg_block_all").GetInt32();
        int partialBlock = p.GetProperty("partial_block").GetInt32();
        var samples = p.GetProperty("partial_samples").EnumerateArray().Select(e => e.GetInt32()).ToHashSet();
        var input = _g.ForwardInput();
        long batch = input.Latent.shape[0];

        var all = _model.Forward(input, new SelfAttentionSkip(new HashSet<int> { allBlock }));
        _g.AssertClose("forward_stg.velocity_stg_all", all, 5e-5);

        var flags = Enumerable.Range(0, (int)batch).Select(i => samples.Contains(i)).ToArray();
        var partial = _model.Forward(input, new SelfAttentionSkip(new HashSet<int> { partialBlock }, flags));
        _g.AssertClose("forward_stg.velocity_stg_partial", partial, 5e-5);
    }

    [Theory]
    [InlineData("f64grid", true)]
    [InlineData("f32grid", false)]
    public void Rope_tables_match(string variant, bool float64)
    {
        using var scope = NewDisposeScope();
        var c = _g.Checkpoint.Config;
        var positions = _g.Tensor("rope.positions");
        var middle = (positions.select(-1, 0) + positions.select(-1, 1)) / 2.0;
        var grid = RotaryEmbedding.FrequencyGrid(c.RopeTheta, c.AudioInnerDim / 2, float64);
        _g.AssertClose($"rope.freq_grid_{variant}", grid, 1e-5);
        using var rope = RotaryEmbedding.Create(middle.select(1, 0), c.AudioInnerDim, c.AudioHeads, c.RopeTheta, c.AudioMaxPos, float64, ScalarType.Float32);
        _g.AssertClose($"rope.cos_{variant}", rope.Cos, 1e-5);
        _g.AssertClose($"rope.sin_{variant}", rope.Sin, 1e-5);
    }

    [Fact]
    public void Named_parameters_are_the_audio_only_checkpoint_keys()
    {
        var names = _model.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal).ToArray();
        var expected = _g.Checkpoint.AudioTransformerKeys()
            .Select(k => k[LtxTrainer.Core.Checkpoints.LtxCheckpointKeys.Transformer.Length..]).ToArray();
        Assert.Equal(expected, names);
        Assert.All(_model.parameters(), p => Assert.False(p.requires_grad));
    }
}
