using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Model.Vocoder;
using LtxTrainer.Core.Tests.Audio;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Model.AudioVae;

/// <summary>Deliberately damaged copies of the tiny checkpoint must fail with errors that name the key.</summary>
public sealed class BrokenCheckpointTests : IDisposable
{
    private readonly AudioGolden _golden = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-audio-broken-").FullName;

    private string WriteVariant(string name, Action<Dictionary<string, torch.Tensor>, Dictionary<string, string>> mutate)
    {
        using var source = _golden.OpenCheckpoint();
        var tensors = source.Names.OrderBy(n => n, StringComparer.Ordinal).ToDictionary(n => n, n => source.Load(n));
        var metadata = new Dictionary<string, string>(source.Metadata);
        mutate(tensors, metadata);
        var path = Path.Combine(_dir, name + ".safetensors");
        SafetensorsWriter.Write(path, tensors, metadata);
        foreach (var t in tensors.Values) t.Dispose();
        return path;
    }

    [Fact]
    public void MissingEncoderKeyIsNamed()
    {
        const string key = "audio_vae.encoder.down.0.block.0.conv1.conv.weight";
        string expectedShape;
        using (var original = _golden.OpenCheckpoint())
            expectedShape = "[" + string.Join(", ", original.TryGetInfo(key)!.Shape) + "]";
        var path = WriteVariant("missing", (t, _) => t.Remove(key));
        using var source = TensorSources.Open(path);
        var ex = Assert.Throws<CheckpointFormatException>(() => AudioVaeEncoder.Load(source));
        Assert.Equal(key, ex.Key);
        Assert.Contains("missing", ex.Message);
        Assert.Contains(expectedShape, ex.Message);
        // The decoder does not need that key.
        using var decoder = AudioVaeDecoder.Load(source);
    }

    [Fact]
    public void WrongShapeNamesExpectedAndFound()
    {
        const string key = "audio_vae.decoder.conv_in.conv.weight";
        long[] shape = [];
        var path = WriteVariant("shape", (t, _) =>
        {
            shape = t[key].shape;
            t[key] = torch.zeros(shape[0], shape[1], shape[2], shape[3] - 1);
        });
        using var source = TensorSources.Open(path);
        var ex = Assert.Throws<CheckpointFormatException>(() => AudioVaeDecoder.Load(source));
        Assert.Equal(key, ex.Key);
        Assert.Contains($"[{shape[0]}, {shape[1]}, {shape[2]}, {shape[3] - 1}]", ex.Message);
        Assert.Contains($"[{string.Join(", ", shape)}]", ex.Message);
    }

    [Fact]
    public void WrongDtypeIsRejected()
    {
        const string key = "vocoder.vocoder.conv_pre.weight";
        var path = WriteVariant("dtype", (t, _) => t[key] = t[key].to(torch.int32));
        using var source = TensorSources.Open(path);
        var ex = Assert.Throws<CheckpointFormatException>(() => WaveformVocoder.Load(source));
        Assert.Equal(key, ex.Key);
        Assert.Contains("I32", ex.Message);
    }

    [Fact]
    public void MissingStatisticsAreNamed()
    {
        var path = WriteVariant("stats", (t, _) => t.Remove(PerChannelStatistics.StdKey));
        using var source = TensorSources.Open(path);
        Assert.Equal(PerChannelStatistics.StdKey, Assert.Throws<CheckpointFormatException>(() => AudioVaeEncoder.Load(source)).Key);
        Assert.Equal(PerChannelStatistics.StdKey, Assert.Throws<CheckpointFormatException>(() => AudioVaeDecoder.Load(source)).Key);
    }

    [Fact]
    public void WeightsTheConfigDoesNotDescribeAreRejected()
    {
        const string key = "audio_vae.encoder.mid.attn_1.q.weight";
        var path = WriteVariant("extra", (t, _) => t[key] = torch.zeros(64, 64, 1, 1));
        using var source = TensorSources.Open(path);
        var ex = Assert.Throws<CheckpointFormatException>(() => AudioVaeEncoder.Load(source));
        Assert.Equal(key, ex.Key);
        Assert.Contains("unexpected", ex.Message);
    }

    [Fact]
    public void MissingInverseBasisIsAnErrorBecauseLoadingIsStrict()
    {
        const string key = "vocoder.mel_stft.stft_fn.inverse_basis";
        var path = WriteVariant("inverse", (t, _) => t.Remove(key));
        using var source = TensorSources.Open(path);
        Assert.Equal(key, Assert.Throws<CheckpointFormatException>(() => WaveformVocoder.Load(source)).Key);
    }

    [Fact]
    public void InterleavedStftBasisIsRejected()
    {
        const string key = "vocoder.mel_stft.stft_fn.forward_basis";
        var path = WriteVariant("interleaved", (t, _) =>
        {
            // Reorder [re0..reF ; im0..imF] into re0, im0, re1, im1, …: the layout the docstring claims.
            var basis = t[key];
            long freqs = basis.shape[0] / 2;
            var order = torch.stack([torch.arange(freqs), torch.arange(freqs) + freqs], 1).flatten();
            t[key] = basis.index_select(0, order);
        });
        using var source = TensorSources.Open(path);
        Assert.Equal(key, Assert.Throws<CheckpointFormatException>(() => WaveformVocoder.Load(source)).Key);
    }

    [Fact]
    public void MissingConfigOrSectionIsReported()
    {
        var noConfig = WriteVariant("noconfig", (_, m) => m.Remove("config"));
        using (var source = TensorSources.Open(noConfig))
            Assert.Throws<CheckpointFormatException>(() => AudioVaeEncoder.Load(source));
        var noSection = WriteVariant("nosection", (_, m) => m["config"] = "{\"transformer\": {}}");
        using (var source = TensorSources.Open(noSection))
        {
            Assert.Equal("config.audio_vae", Assert.Throws<CheckpointFormatException>(() => AudioVaeDecoder.Load(source)).Key);
            Assert.Equal("config.vocoder", Assert.Throws<CheckpointFormatException>(() => WaveformVocoder.Load(source)).Key);
        }
    }

    [Fact]
    public void TruncatedFileAndBadHeaderFailToOpen()
    {
        var bytes = File.ReadAllBytes(_golden.CheckpointPath);
        var truncated = Path.Combine(_dir, "truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 1000)]);
        Assert.Throws<CheckpointFormatException>(() => TensorSources.Open(truncated).Dispose());

        var badHeader = Path.Combine(_dir, "badheader.safetensors");
        var copy = (byte[])bytes.Clone();
        copy[8] = (byte)'#'; // the JSON header starts at byte 8
        File.WriteAllBytes(badHeader, copy);
        Assert.Throws<CheckpointFormatException>(() => TensorSources.Open(badHeader).Dispose());
    }

    [Fact]
    public void Bf16CheckpointLoadsAndRunsInFloat32()
    {
        var path = WriteVariant("bf16", (t, _) =>
        {
            foreach (var k in t.Keys.ToList()) t[k] = t[k].to(torch.bfloat16);
        });
        using var source = TensorSources.Open(path);
        using var decoder = AudioVaeDecoder.Load(source);
        using var vocoder = WaveformVocoder.Load(source);
        using var scope = torch.NewDisposeScope();
        Assert.All(decoder.Network.parameters(), p => Assert.Equal(torch.float32, p.dtype));
        var mel = decoder.DecodeLatent(_golden.Tensor("dec.latent_in"));
        var wave = vocoder.Forward(mel);
        Assert.Equal(torch.float32, wave.dtype);
        Assert.Equal(torch.float32, mel.dtype);
        Assert.All(vocoder.WithBwe!.parameters(), p => Assert.Equal(torch.float32, p.dtype));
        Assert.Equal(torch.float32, vocoder.Forward(mel.to(torch.bfloat16)).dtype);
        // Rounded weights: close to, not equal to, the float32 golden.
        TensorAssert.Close(_golden.Tensor("dec.mel"), mel, 0.1, "dec.mel (bf16 weights)", 0.05);
    }

    public void Dispose()
    {
        _golden.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
