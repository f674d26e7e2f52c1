using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Text;

public sealed class GemmaMemoryPlanTests
{
    private const long GiB = 1L << 30;

    // Gemma 3 12B (the LTX-2.3 text encoder) as its published config resolves.
    private static readonly Gemma3TextConfig Gemma12B = new()
    {
        VocabSize = 262208, HiddenSize = 3840, IntermediateSize = 15360, NumHiddenLayers = 48,
        NumAttentionHeads = 16, NumKeyValueHeads = 8, HeadDim = 256,
    };

    [Theory]
    [InlineData(torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.BFloat16)]
    public void WholeModelBytes_EqualsWhatTheWholeModelHolds(torch.ScalarType dtype)
    {
        using var golden = new TextGolden();
        using var checkpoint = GemmaCheckpoint.Open(golden.PathOf("gemma"));
        using var model = Gemma3TextModel.Load(checkpoint, ownsCheckpoint: false, GemmaLoadMode.Whole, dtype, torch.CPU);

        long estimate = GemmaMemoryPlan.WholeModelBytes(checkpoint.Config, dtype, Gemma3TextModel.EmbeddingDType(checkpoint, dtype));

        Assert.Equal(model.ResidentBytes, estimate);
    }

    [Fact]
    public void Resolve_Auto_KeepsTheModelWholeOnlyWhenItFits()
    {
        var options = new TextEncoderOptions { DType = torch.ScalarType.BFloat16 };
        long needed = GemmaMemoryPlan.WholeModelBytes(Gemma12B, torch.ScalarType.BFloat16, torch.ScalarType.BFloat16)
            + GemmaMemoryPlan.WorkingBytes(Gemma12B, options);
        GemmaLoadMode Auto(long? available) =>
            GemmaMemoryPlan.Resolve(GemmaLoadMode.Auto, Gemma12B, torch.ScalarType.BFloat16, options, available);

        Assert.InRange(needed, 22 * GiB, 30 * GiB); // ~23.5 GB of weights in bf16 plus a pass of 32 prompts
        Assert.Equal(GemmaLoadMode.Streamed, Auto(24 * GiB));
        Assert.Equal(GemmaLoadMode.Whole, Auto(128 * GiB));
        Assert.Equal(GemmaLoadMode.Whole, Auto((long)Math.Ceiling(needed / GemmaMemoryPlan.UsableFraction)));
        Assert.Equal(GemmaLoadMode.Streamed, Auto(needed));
        Assert.Equal(GemmaLoadMode.Streamed, Auto(null)); // unknown (CUDA): never risk a model that does not fit
    }

    [Theory]
    [InlineData(GemmaLoadMode.Whole)]
    [InlineData(GemmaLoadMode.Streamed)]
    public void Resolve_ExplicitMode_IsKept(GemmaLoadMode mode)
    {
        var options = new TextEncoderOptions();

        Assert.Equal(mode, GemmaMemoryPlan.Resolve(mode, Gemma12B, torch.ScalarType.Float32, options, 1));
        Assert.Equal(mode, GemmaMemoryPlan.Resolve(mode, Gemma12B, torch.ScalarType.Float32, options, long.MaxValue));
    }

    [Fact]
    public void AvailableBytes_IsKnownOnCpuAndUnknownOnCuda()
    {
        Assert.InRange(GemmaMemoryPlan.AvailableBytes(torch.CPU) ?? -1, 1, long.MaxValue);
        Assert.Null(GemmaMemoryPlan.AvailableBytes(new torch.Device(DeviceType.CUDA)));
    }

    [Fact]
    public void Open_DefaultAutoMode_KeepsTheTinyGoldenModelWhole()
    {
        using var golden = new TextGolden();
        using var encoder = TextEncoder.Open(golden.PathOf("gemma"), golden.PathOf("tiny_text_heads.safetensors"),
            new TextEncoderOptions { MaxLength = golden.MaxLength() });

        Assert.Equal(GemmaLoadMode.Auto, encoder.Options.Mode);
        Assert.Equal(GemmaLoadMode.Whole, encoder.Mode);
    }
}
