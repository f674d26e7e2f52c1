using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Checkpoints;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static bool Same(torch.Tensor a, torch.Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void RoundTripsEveryWritableDtypeAndMetadata()
    {
        var path = Path.Combine(_dir, "a.safetensors");
        var f32 = torch.arange(0, 24, dtype: torch.float32).reshape(2, 3, 4);
        var bf16 = torch.linspace(-3, 3, 10).to(torch.bfloat16);
        var f16 = torch.linspace(-1, 1, 7).to(torch.float16);
        var i64 = torch.tensor(new long[] { 1, -2, 3 });
        var u8 = torch.tensor(new byte[] { 0, 7, 255 });
        SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor>
        {
            ["f32"] = f32, ["bf16"] = bf16, ["f16"] = f16, ["i64"] = i64, ["u8"] = u8,
        }, new Dictionary<string, string> { ["config"] = "{\"a\":1}" });

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("{\"a\":1}", file.Metadata["config"]);
        Assert.Equal(5, file.Names.Count);
        Assert.True(Same(file.Load("f32"), f32));
        Assert.True(Same(file.Load("bf16"), bf16));
        Assert.True(Same(file.Load("f16"), f16));
        Assert.True(Same(file.Load("i64"), i64));
        Assert.True(Same(file.Load("u8"), u8));
        Assert.Equal(torch.float32, file.Load("bf16", torch.float32).dtype);
        Assert.Equal(new FileInfo(path).Length, file.TryGetInfo("u8")!.FileOffset + 3); // offsets are absolute
    }

    [Fact]
    public void ChunkedCopyMatchesSingleCopy()
    {
        var path = Path.Combine(_dir, "big.safetensors");
        var t = torch.randn([1000, 37], generator: new torch.Generator(2));
        SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor> { ["t"] = t });
        var saved = SafetensorsFile.CopyChunkBytes;
        try
        {
            SafetensorsFile.CopyChunkBytes = 4 * 1000; // forces many chunks
            using var file = SafetensorsFile.Open(path);
            Assert.True(Same(file.Load("t"), t));
        }
        finally { SafetensorsFile.CopyChunkBytes = saved; }
    }

    [Fact]
    public void LoadsGoldenTinyTransformerCheckpoint()
    {
        using var golden = new GoldenSet("transformer");
        using var file = SafetensorsFile.Open(golden.PathOf(golden.Json.RootElement.GetProperty("files").GetProperty("checkpoint").GetString()!));
        Assert.Contains("config", file.Metadata.Keys);
        Assert.Contains(file.Names, n => n.StartsWith("model.diffusion_model.transformer_blocks.0.audio_attn1.to_q", StringComparison.Ordinal));
        var name = file.Names.First(n => n.EndsWith("audio_attn1.to_q.weight", StringComparison.Ordinal));
        var w = file.Load(name);
        Assert.Equal(file.TryGetInfo(name)!.Shape, w.shape);
        Assert.True(w.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void TruncatedFileIsRefusedNamingTheTensor()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor> { ["w"] = torch.ones(64) });
        using (var fs = new FileStream(path, FileMode.Open)) fs.SetLength(fs.Length - 10);
        var ex = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));
        Assert.Contains("truncated", ex.Message);
        Assert.Equal("w", ex.Key);
    }

    [Fact]
    public void BadHeaderIsRefused()
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(5L), .. "nope!"u8.ToArray()]);
        var ex = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));
        Assert.Contains("not valid JSON", ex.Message);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(1L << 40)]);
        Assert.Contains("header length", Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path)).Message);
    }

    [Fact]
    public void Fp8IsRefusedNamingDtypeAndKey()
    {
        var path = Path.Combine(_dir, "fp8.safetensors");
        var header = "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}"u8.ToArray();
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)header.Length), .. header, 1, 2, 3, 4]);
        using var file = SafetensorsFile.Open(path);
        var ex = Assert.Throws<CheckpointFormatException>(() => file.Load("w"));
        Assert.Contains("F8_E4M3", ex.Message);
        Assert.Equal("w", ex.Key);
    }

    [Fact]
    public void AtomicWriteLeavesNoTemporaryFiles()
    {
        var path = Path.Combine(_dir, "x.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor> { ["a"] = torch.zeros(3) });
        SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(3) });
        Assert.Single(Directory.GetFiles(_dir));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(3f, file.Load("a").sum().item<float>());
    }

    [Fact]
    public void FailedWriteKeepsThePreviousFileAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_dir, "keep.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(3) });
        // A meta tensor has a shape for the header but no bytes: the write fails after the header is out,
        // in torch's copy of "b" (not in a check before writing).
        var ex = Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor>
        {
            ["a"] = torch.zeros(3), ["b"] = torch.empty(4, device: torch.META),
        }));
        Assert.Contains("meta", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(Directory.GetFiles(_dir));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(3f, file.Load("a").sum().item<float>());
    }
}
