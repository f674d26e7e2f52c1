using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using TorchSharp;
using Xunit.Abstractions;

namespace LtxTrainer.Core.Tests.Text;

public sealed class TextEncoderTests(ITestOutputHelper output)
{
    internal sealed class Collect<T> : IProgress<T>
    {
        public List<T> Items { get; } = [];
        public void Report(T value) => Items.Add(value);
    }

    internal static TextEncoder OpenGolden(TextGolden golden, GemmaLoadMode mode, int batchSize = 3, int captionsPerPass = 32) =>
        TextEncoder.Open(golden.PathOf("gemma"), golden.PathOf("tiny_text_heads.safetensors"),
            new TextEncoderOptions { Mode = mode, MaxLength = golden.MaxLength(), BatchSize = batchSize, CaptionsPerPass = captionsPerPass });

    // One batch; two batches in one layer-by-layer pass; two passes.
    [Theory]
    [InlineData(GemmaLoadMode.Whole, 3, 32)]
    [InlineData(GemmaLoadMode.Streamed, 2, 32)]
    [InlineData(GemmaLoadMode.Streamed, 1, 2)]
    public void Encode_GoldenPrompts_GivesGoldenAudioFeaturesAndMask(GemmaLoadMode mode, int batchSize, int captionsPerPass)
    {
        using var golden = new TextGolden();
        using var expected = golden.Tensor("features.audio");
        using var expectedMask = golden.Tensor("tokenize.attention_mask");
        var prompts = golden.Prompts();
        var progress = new Collect<TextEncodingProgress>();

        using var encoder = OpenGolden(golden, mode, batchSize, captionsPerPass);
        var embeddings = encoder.Encode(prompts, progress);
        try
        {
            using var actual = torch.stack(embeddings.Select(e => e.AudioFeatures).ToArray());
            using var mask = torch.stack(embeddings.Select(e => e.AttentionMask).ToArray());
            TensorAssert.Close(expected, actual, golden.Tolerance("features.audio"), "end-to-end features.audio");
            Assert.Equal(expectedMask.data<long>().ToArray(), mask.data<long>().ToArray());
            output.WriteLine($"{mode}, batch {batchSize}, pass {captionsPerPass}: end-to-end features.audio max abs err = {TensorAssert.MaxAbs(expected, actual):E3}");
            Assert.Equal("V2", encoder.FeatureExtractorVariant);
            Assert.Equal(prompts, embeddings.Select(e => e.Caption));
            var truncated = encoder.Tokenize(prompts).Truncated;
            Assert.Equal(truncated, embeddings.Select(e => e.Truncated));
            Assert.Equal(truncated.Count(t => t), progress.Items.Count(p => p.Warning is not null && p.Warning.Contains("truncated")));
            Assert.Equal(prompts.Length, progress.Items[^1].Completed);
        }
        finally
        {
            foreach (var e in embeddings) e.Dispose();
        }
    }

    // bf16 is the production dtype on CUDA; it is not a parity target (the reference notes ~1e-2), so this
    // checks that the bf16 path runs end to end and stays near the float32 reference.
    [Fact]
    public void Encode_BFloat16_StaysNearTheReference()
    {
        using var golden = new TextGolden();
        using var expected = golden.Tensor("features.audio");
        using var encoder = TextEncoder.Open(golden.PathOf("gemma"), golden.PathOf("tiny_text_heads.safetensors"),
            new TextEncoderOptions { MaxLength = golden.MaxLength(), DType = torch.ScalarType.BFloat16 });

        var embeddings = encoder.Encode(golden.Prompts());
        try
        {
            using var actual = torch.stack(embeddings.Select(e => e.AudioFeatures).ToArray());
            Assert.Equal(torch.ScalarType.Float32, actual.dtype);
            double err = TensorAssert.MaxAbs(expected, actual);
            output.WriteLine($"bf16 end-to-end features.audio max abs err = {err:E3}");
            Assert.InRange(err, 0, 0.1);
        }
        finally
        {
            foreach (var e in embeddings) e.Dispose();
        }
    }

    [Fact]
    public void Encode_Cancelled_Throws()
    {
        using var golden = new TextGolden();
        using var encoder = OpenGolden(golden, GemmaLoadMode.Streamed);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => encoder.Encode(golden.Prompts(), cancellationToken: cts.Token));
    }

    [Fact]
    public void Open_LtxCheckpointWithoutProjection_NamesFileAndKey()
    {
        using var golden = new TextGolden();
        var dir = Directory.CreateTempSubdirectory("ltx-noproj-");
        try
        {
            var path = Path.Combine(dir.FullName, "ltx.safetensors");
            using (var heads = SafetensorsFile.Open(golden.PathOf("tiny_text_heads.safetensors")))
            using (var registers = heads.Load("model.diffusion_model.audio_embeddings_connector.learnable_registers"))
                SafetensorsWriter.Write(path, [new("model.diffusion_model.audio_embeddings_connector.learnable_registers", registers)],
                    heads.Metadata.ToDictionary());

            var ex = Assert.Throws<CheckpointFormatException>(() =>
                TextEncoder.Open(golden.PathOf("gemma"), path, new TextEncoderOptions { MaxLength = golden.MaxLength() }));

            Assert.Equal(path, ex.File);
            Assert.Equal("text_embedding_projection.audio_aggregate_embed.weight", ex.Key);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Encode_AfterDispose_Throws()
    {
        using var golden = new TextGolden();
        var encoder = OpenGolden(golden, GemmaLoadMode.Whole);
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(["x"]));
    }

    [Fact]
    public void Options_CpuDefaultsToFloat32()
    {
        var options = new TextEncoderOptions();

        Assert.Equal(torch.ScalarType.Float32, options.ResolvedDType);
        Assert.Equal(torch.ScalarType.BFloat16, (options with { Device = new torch.Device(DeviceType.CUDA) }).ResolvedDType);
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { BatchSize = 0 }).Validate());
    }
}
