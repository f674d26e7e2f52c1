using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Text;

public sealed class Gemma3TextModelTests(ITestOutputHelper output)
{
    private static torch.Tensor RunGolden(TextGolden golden, GemmaLoadMode mode)
    {
        using var ids = golden.Tensor("tokenize.input_ids");
        using var mask = golden.Tensor("tokenize.attention_mask");
        using var model = Gemma3TextModel.Load(golden.PathOf("gemma"), mode, torch.float32, torch.CPU);
        return model.Forward(ids, mask);
    }

    [Fact]
    public void Forward_MatchesGoldenHiddenStatesOnValidTokens()
    {
        using var golden = new TextGolden();
        using var mask = golden.Tensor("tokenize.attention_mask");

        using var states = RunGolden(golden, GemmaLoadMode.Whole);

        double err = golden.CloseOnValid("gemma.hidden_states", states, mask);
        output.WriteLine($"gemma.hidden_states max abs err (valid tokens) = {err:E3}");
    }

    [Fact]
    public void Forward_LastStateIsFinalNormOfLastLayerOutput()
    {
        using var golden = new TextGolden();
        using var mask = golden.Tensor("tokenize.attention_mask");
        using var preNorm = golden.Tensor("gemma.last_layer_output_pre_norm");
        using var states = RunGolden(golden, GemmaLoadMode.Whole);
        using var checkpoint = GemmaCheckpoint.Open(golden.PathOf("gemma"));
        using var w = checkpoint.Load("norm.weight", torch.float32, torch.CPU);
        using var onePlusW = w + 1.0f;

        using var expectedLast = GemmaRmsNorm.Apply(preNorm, onePlusW, checkpoint.Config.RmsNormEps);

        using var expectedValid = TextGolden.ValidOnly(expectedLast, mask);
        using var actualValid = TextGolden.ValidOnly(states[^1], mask);
        TensorAssert.Close(expectedValid, actualValid, golden.Tolerance("gemma.last_layer_output_pre_norm"), "norm(last_layer_output_pre_norm)");
        output.WriteLine($"norm(gemma.last_layer_output_pre_norm) vs last state: max abs err {TensorAssert.MaxAbs(expectedValid, actualValid):E3}");
    }

    [Fact]
    public void Streamed_IsIdenticalToWhole()
    {
        using var golden = new TextGolden();

        using var whole = RunGolden(golden, GemmaLoadMode.Whole);
        using var streamed = RunGolden(golden, GemmaLoadMode.Streamed);

        Assert.Equal(0.0, TensorAssert.MaxAbs(whole, streamed));
    }

    [Theory]
    [InlineData("sliding_attention")]
    [InlineData("full_attention")]
    public void RotaryTables_MatchGolden(string layerType)
    {
        using var golden = new TextGolden();
        var config = Gemma3TextConfig.Load(golden.PathOf("gemma/config.json"));
        var type = layerType == "full_attention" ? Gemma3LayerType.FullAttention : Gemma3LayerType.SlidingAttention;
        using var expectedCos = golden.Tensor($"gemma.rope_cos_{layerType}");
        using var expectedSin = golden.Tensor($"gemma.rope_sin_{layerType}");

        using var tables = GemmaRotaryTables.Create(config.Rope(type), config.HeadDim, (int)expectedCos.shape[0]);

        TensorAssert.Close(expectedCos, tables.Cos, golden.Tolerance($"gemma.rope_cos_{layerType}"), "cos " + layerType);
        TensorAssert.Close(expectedSin, tables.Sin, golden.Tolerance($"gemma.rope_sin_{layerType}"), "sin " + layerType);
        output.WriteLine($"{layerType}: cos max abs err {TensorAssert.MaxAbs(expectedCos, tables.Cos):E3}, sin {TensorAssert.MaxAbs(expectedSin, tables.Sin):E3}");
    }
}
