using LtxTrainer.Core.Model.Common;
using LtxTrainer.Core.Model.Connector;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Model;

public sealed class AudioEmbeddingsConnectorGoldenTests : IDisposable
{
    private readonly TransformerGolden _g;

    public AudioEmbeddingsConnectorGoldenTests(Xunit.Abstractions.ITestOutputHelper output) => _g = new TransformerGolden { Report = output.WriteLine };

    public void Dispose() => _g.Dispose();

    [Theory]
    [InlineData("connector.audio_features", "connector.gemma_attention_mask", "connector.audio_encoding")]
    [InlineData("train_step.audio_prompt_features", "train_step.prompt_attention_mask", "train_step.audio_context")]
    public void Connector_output_matches(string features, string mask, string expected)
    {
        using var connector = AudioEmbeddingsConnector.Load(_g.Checkpoint, ScalarType.Float32);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var context = connector.Forward(_g.Tensor(features), _g.Tensor(mask));
        _g.AssertClose(expected, context, 5e-5);
    }

    [Fact]
    public void Connector_rope_tables_match()
    {
        var c = _g.Checkpoint.Config;
        using var scope = NewDisposeScope();
        var expected = _g.Tensor("rope.connector_cos");
        long s = expected.shape[2];
        var positions = arange(s, dtype: ScalarType.Float32).unsqueeze(0);
        using var rope = RotaryEmbedding.Create(positions, c.AudioConnector.InnerDim, c.AudioConnector.Heads,
            AudioEmbeddingsConnector.RopeTheta, c.AudioConnector.MaxPos, c.RopeFloat64Grid, ScalarType.Float32);
        _g.AssertClose("rope.connector_cos", rope.Cos, 1e-5);
        _g.AssertClose("rope.connector_sin", rope.Sin, 1e-5);
    }

    [Fact]
    public void Text_length_not_a_multiple_of_the_registers_is_rejected()
    {
        using var connector = AudioEmbeddingsConnector.Load(_g.Checkpoint, ScalarType.Float32);
        using var f = zeros(1, 100, connector.Config.InnerDim);
        using var m = ones(1, 100, ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => connector.Forward(f, m));
    }
}
