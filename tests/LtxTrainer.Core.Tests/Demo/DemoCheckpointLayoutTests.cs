using System.Security.Cryptography;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Demo;
using LtxTrainer.Core.Tests.Golden;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Demo;

/// <summary>
/// The demo checkpoint has the real file's layout (compared with the golden files the reference code wrote
/// in that layout), its computed vocoder buffers equal the reference's, and it is deterministic for a seed.
/// </summary>
public sealed class DemoCheckpointLayoutTests(DemoModelFixture demo, ITestOutputHelper output) : IClassFixture<DemoModelFixture>
{
    // The golden files use the same depths as the demo's defaults (2 transformer and connector blocks,
    // VAE ch_mult [1, 1, 2] with one res block and z 2), so their key sets must be the demo's exactly.
    [Theory]
    [InlineData("transformer", "tiny_ltx23_audio.safetensors", "audio transformer")]
    [InlineData("text", "tiny_text_heads.safetensors", "model.diffusion_model.audio_embeddings_connector.")]
    [InlineData("text", "tiny_text_heads.safetensors", "text_embedding_projection.audio_aggregate_embed.")]
    [InlineData("audio", "tiny_audio.safetensors", "audio_vae.")]
    public void Keys_are_the_real_layout(string set, string file, string part)
    {
        using var golden = SafetensorsFile.Open(Path.Combine(GoldenRoot.Path, set, file));
        using var ours = SafetensorsFile.Open(demo.Model.ModelPath);
        IEnumerable<string> Select(ITensorSource s) => part == "audio transformer"
            ? s.Names.Where(k => LtxCheckpointKeys.IsAudioTransformerKey(k, LtxModelVariant.Ltx23))
            : s.Names.Where(k => k.StartsWith(part, StringComparison.Ordinal));
        var expected = Select(golden).Order(StringComparer.Ordinal).ToList();
        var actual = Select(ours).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        output.WriteLine($"{part}: {actual.Count} keys, as in {set}/{file}");
    }

    [Fact]
    public void Audio_vae_shapes_equal_the_reference_file_of_the_same_config()
    {
        using var golden = SafetensorsFile.Open(Path.Combine(GoldenRoot.Path, "audio", "tiny_audio.safetensors"));
        using var ours = SafetensorsFile.Open(demo.Model.ModelPath);
        foreach (var key in golden.Names.Where(k => k.StartsWith("audio_vae.", StringComparison.Ordinal)))
            Assert.Equal(golden.TryGetInfo(key)!.Shape, ours.TryGetInfo(key)!.Shape);
    }

    [Fact]
    public void Counts_match_the_published_audio_path()
    {
        using var ours = SafetensorsFile.Open(demo.Model.ModelPath);
        int layers = demo.Model.Size.TransformerLayers;
        // 30 tensors per block and 17 top-level ones in the 2.3 audio-only subset (ltx_core audio-only key map).
        Assert.Equal(17 + 30 * layers, ours.Names.Count(k => LtxCheckpointKeys.IsAudioTransformerKey(k, LtxModelVariant.Ltx23)));
        Assert.Equal("2.3.0", ours.Metadata["model_version"]);
        Assert.All(ours.Names, k => Assert.Equal("BF16", ours.TryGetInfo(k)!.DType));
        Assert.Contains("vocoder.mel_stft.stft_fn.inverse_basis", ours.Names);
        Assert.Contains("text_embedding_projection.video_aggregate_embed.weight", ours.Names);
    }

    [Fact]
    public void Computed_vocoder_buffers_equal_the_reference_values()
    {
        // The golden checkpoint stores the reference's anti-aliasing filter and its BWE bases (n_fft 160, hop 40)
        // rounded to bfloat16, as the real file stores them.
        using var golden = SafetensorsFile.Open(Path.Combine(GoldenRoot.Path, "audio", "tiny_audio.safetensors"));
        using var scope = NewDisposeScope();
        var filter = VocoderBuffers.KaiserSincFilter(0.25, 0.3, 12);
        TensorAssert.Close(golden.Load("vocoder.vocoder.act_post.upsample.filter", ScalarType.Float32), filter, 1e-6, "Kaiser up filter");
        TensorAssert.Close(golden.Load("vocoder.vocoder.act_post.downsample.lowpass.filter", ScalarType.Float32), filter, 1e-6, "Kaiser low-pass filter");
        var (forward, inverse) = VocoderBuffers.StftBases(160, 40);
        TensorAssert.Close(golden.Load("vocoder.mel_stft.stft_fn.forward_basis", ScalarType.Float32), forward.to(ScalarType.BFloat16).to(ScalarType.Float32), 1e-6, "STFT forward basis");
        TensorAssert.Close(golden.Load("vocoder.mel_stft.stft_fn.inverse_basis", ScalarType.Float32), inverse.to(ScalarType.BFloat16).to(ScalarType.Float32), 1e-6, "STFT inverse basis");
        var mel = VocoderBuffers.MelBasis(16000, 160, 64);
        TensorAssert.Close(golden.Load("vocoder.mel_stft.mel_basis", ScalarType.Float32), mel.to(ScalarType.BFloat16).to(ScalarType.Float32), 1e-6, "mel basis");
    }

    [Fact]
    public void The_checkpoint_is_deterministic_for_a_seed()
    {
        var size = new DemoModelSize { TransformerLayers = 1, ConnectorLayers = 1 };
        string a = Path.Combine(demo.Folder, "a.safetensors"), b = Path.Combine(demo.Folder, "b.safetensors"), c = Path.Combine(demo.Folder, "c.safetensors");
        DemoCheckpointWriter.Write(a, size, seed: 7);
        DemoCheckpointWriter.Write(b, size, seed: 7);
        DemoCheckpointWriter.Write(c, size, seed: 8);
        Assert.Equal(Hash(a), Hash(b));
        Assert.NotEqual(Hash(a), Hash(c));
        // Only the random weights change with the seed; the computed buffers do not.
        using var fa = SafetensorsFile.Open(a);
        using var fc = SafetensorsFile.Open(c);
        using var same = fa.Load("vocoder.mel_stft.mel_basis");
        using var same2 = fc.Load("vocoder.mel_stft.mel_basis");
        Assert.True(same.eq(same2).all().item<bool>());
        using var differs = fa.Load("model.diffusion_model.audio_patchify_proj.weight");
        using var differs2 = fc.Load("model.diffusion_model.audio_patchify_proj.weight");
        Assert.False(differs.eq(differs2).all().item<bool>());
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
