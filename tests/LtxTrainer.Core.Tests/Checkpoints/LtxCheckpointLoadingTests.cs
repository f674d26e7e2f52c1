using LtxTrainer.Core.Model.AudioVae;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Transformer;
using LtxTrainer.Core.Tests.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Checkpoints;

/// <summary>Deliberately broken copies of the tiny golden checkpoint must fail naming key, expected and found.</summary>
public sealed class LtxCheckpointLoadingTests : IDisposable
{
    private readonly TransformerGolden _g = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-ckpt-").FullName;

    public void Dispose()
    {
        _g.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // A weight of the last block's text cross-attention: present in every audio-only model.
    private string Probe => _g.Checkpoint.AudioTransformerKeys().Last(k => k.EndsWith(".audio_attn2.to_k.weight", StringComparison.Ordinal));

    // Rewrites the golden checkpoint with one tensor changed (null = removed), keeping its metadata.
    private string Variant(string name, Func<Tensor, Tensor?> change)
    {
        var path = Path.Combine(_dir, name + ".safetensors");
        var src = _g.Checkpoint.Source;
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var key in src.Names.Order(StringComparer.Ordinal))
        {
            var t = src.Load(key);
            var c = key == Probe ? change(t) : t;
            if (c is not null) tensors.Add(new(key, c));
        }
        SafetensorsWriter.Write(path, tensors, src.Metadata);
        foreach (var (_, t) in tensors) t.Dispose();
        return path;
    }

    private static CheckpointFormatException LoadFails(string path)
    {
        using var ckpt = LtxCheckpoint.Open(path);
        return Assert.Throws<CheckpointFormatException>(() => AudioTransformer.Load(ckpt, ScalarType.Float32).Dispose());
    }

    [Fact]
    public void Golden_checkpoint_is_a_split_23_transformer_with_model_version()
    {
        Assert.Equal(LtxModelVariant.Ltx23, _g.Checkpoint.Variant);
        Assert.True(_g.Checkpoint.IsSplitTransformer);
        Assert.Equal(_g.Json.RootElement.GetProperty("checkpoint").GetProperty("model_version").GetString(), _g.Checkpoint.ModelVersion);
        var expected = _g.Json.RootElement.GetProperty("checkpoint").GetProperty("n_audio_only_model_params").GetInt64();
        using var model = _g.LoadModel();
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Missing_key_is_named()
    {
        var ex = LoadFails(Variant("missing", _ => null));
        Assert.Equal(Probe, ex.Key);
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void Wrong_shape_names_expected_and_found()
    {
        var shape = _g.Checkpoint.Source.TryGetInfo(Probe)!.Shape;
        var ex = LoadFails(Variant("shape", t => t.narrow(0, 0, t.shape[0] - 1).contiguous()));
        Assert.Equal(Probe, ex.Key);
        Assert.Contains($"[{shape[0] - 1}, {shape[1]}]", ex.Message);
        Assert.Contains($"expected [{shape[0]}, {shape[1]}]", ex.Message);
    }

    [Fact]
    public void Wrong_dtype_is_named()
    {
        var ex = LoadFails(Variant("dtype", t => t.to(ScalarType.Int64)));
        Assert.Equal(Probe, ex.Key);
        Assert.Contains("I64", ex.Message);
    }

    [Fact]
    public void Bf16_weights_load_and_convert()
    {
        var path = Variant("bf16", t => t.to(ScalarType.BFloat16));
        using var ckpt = LtxCheckpoint.Open(path);
        using var model = AudioTransformer.Load(ckpt, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, model.DType);
    }

    [Fact]
    public void Truncated_file_is_rejected()
    {
        var path = Path.Combine(_dir, "truncated.safetensors");
        var bytes = File.ReadAllBytes(_g.CheckpointPath);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var ex = Assert.Throws<CheckpointFormatException>(() => LtxCheckpoint.Open(path).Dispose());
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Bad_header_is_rejected()
    {
        var path = Path.Combine(_dir, "header.safetensors");
        var bytes = File.ReadAllBytes(_g.CheckpointPath);
        bytes[12] = (byte)'#';
        File.WriteAllBytes(path, bytes);
        Assert.Throws<CheckpointFormatException>(() => LtxCheckpoint.Open(path).Dispose());
    }

    [Fact]
    public void A_file_without_config_is_not_an_ltx_checkpoint()
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => LtxCheckpoint.Open(_g.LoraPath).Dispose());
        Assert.Contains("config", ex.Message);
    }

    [Fact]
    public void A_config_without_a_transformer_section_is_refused_naming_the_section_and_file()
    {
        var path = Path.Combine(_dir, "no-transformer.safetensors");
        using (var t = zeros(2))
            SafetensorsWriter.Write(path, [new KeyValuePair<string, Tensor>("x", t)],
                new Dictionary<string, string> { ["config"] = "{\"audio_vae\": {}}" });
        var ex = Assert.Throws<CheckpointFormatException>(() => LtxCheckpoint.Open(path).Dispose());
        Assert.Equal("config.transformer", ex.Key);
        Assert.Equal(path, ex.File);
        Assert.Contains("\"transformer\" section", ex.Message);
    }

    [Fact]
    public void Unified_file_with_vae_sections_is_not_split()
    {
        var path = Path.Combine(_dir, "unified.safetensors");
        var src = _g.Checkpoint.Source;
        var config = System.Text.Json.Nodes.JsonNode.Parse(src.Metadata["config"])!.AsObject();
        config["audio_vae"] = new System.Text.Json.Nodes.JsonObject();
        var meta = src.Metadata.ToDictionary(k => k.Key, k => k.Value);
        meta["config"] = config.ToJsonString();
        var tensors = src.Names.Select(n => new KeyValuePair<string, Tensor>(n, src.Load(n))).ToList();
        SafetensorsWriter.Write(path, tensors, meta);
        tensors.ForEach(t => t.Value.Dispose());
        using var ckpt = LtxCheckpoint.Open(path);
        Assert.False(ckpt.IsSplitTransformer);
    }

    [Fact]
    public void Ltx2_model_builds_with_caption_projection_and_runs()
    {
        var config = _g.Checkpoint.Config with
        {
            Variant = LtxModelVariant.Ltx2, GatedAttention = false, CrossAttentionAdaLN = false, CaptionChannels = 24,
        };
        using var model = new AudioTransformer(config, new RandomWeightSource(ScalarType.Float32, CPU, seed: 1));
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("audio_caption_projection.linear_1.weight", names);
        Assert.DoesNotContain(names, n => n.Contains("audio_prompt") || n.Contains("to_gate_logits"));
        Assert.Equal(new long[] { 6, config.AudioInnerDim }, model.named_parameters().Single(p => p.name == "transformer_blocks.0.audio_scale_shift_table").parameter.shape);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var v = model.Forward(new AudioTransformerInput(randn(1, 5, config.AudioInChannels), tensor(new[] { 0.5f }), full(1, 5, 0.5f),
            new AudioPatchifier().Positions(1, 5), randn(1, 7, config.CaptionChannels)));
        Assert.Equal(new long[] { 1, 5, config.AudioOutChannels }, v.shape);
        Assert.False(v.isnan().any().item<bool>());
        Assert.True(LtxCheckpointKeys.IsAudioTransformerKey("model.diffusion_model.audio_caption_projection.linear_1.weight", LtxModelVariant.Ltx2));
        Assert.False(LtxCheckpointKeys.IsAudioTransformerKey("model.diffusion_model.audio_caption_projection.linear_1.weight", LtxModelVariant.Ltx23));
        Assert.False(LtxCheckpointKeys.IsAudioTransformerKey("model.diffusion_model.audio_embeddings_connector.learnable_registers", LtxModelVariant.Ltx23));
    }

    [Fact]
    public void Loading_reads_only_the_audio_path()
    {
        var weights = _g.Checkpoint.TransformerWeights(ScalarType.Float32);
        using var model = new AudioTransformer(_g.Checkpoint.Config, weights);
        var audioKeys = _g.Checkpoint.AudioTransformerKeys().ToList();
        Assert.Equal(audioKeys, weights.KeysRead.Order(StringComparer.Ordinal));
        Assert.Equal(audioKeys.Sum(k => _g.Checkpoint.Source.TryGetInfo(k)!.ByteLength), weights.BytesRead);
        Assert.True(_g.Checkpoint.Source.Names.Count > audioKeys.Count, "the golden file should also hold weights the audio path skips");
    }

    [Fact]
    public void Sharded_folder_with_the_config_in_its_shards_loads_like_the_single_file()
    {
        // Hugging Face's sharded writers put the model's metadata in every shard and only total_size in the index.
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "sharded")).FullName;
        var src = _g.Checkpoint.Source;
        var names = src.Names.Order(StringComparer.Ordinal).ToList();
        var weightMap = new System.Text.Json.Nodes.JsonObject();
        long total = 0;
        for (int shard = 0; shard < 2; shard++)
        {
            string file = $"model-{shard + 1:00000}-of-00002.safetensors";
            var part = names.Where((_, i) => i % 2 == shard).Select(n => new KeyValuePair<string, Tensor>(n, src.Load(n))).ToList();
            SafetensorsWriter.Write(Path.Combine(folder, file), part, src.Metadata);
            foreach (var (n, t) in part)
            {
                weightMap[n] = file;
                total += t.NumberOfElements * t.ElementSize;
                t.Dispose();
            }
        }
        var index = new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["total_size"] = total },
            ["weight_map"] = weightMap,
        };
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), index.ToJsonString());

        using var sharded = LtxCheckpoint.Open(folder);
        Assert.Equal(_g.Checkpoint.Config, sharded.Config);
        Assert.Equal(_g.Checkpoint.ModelVersion, sharded.ModelVersion);
        using var model = AudioTransformer.Load(sharded, ScalarType.Float32);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var v = model.Forward(_g.ForwardInput());
        _g.AssertClose("forward.velocity", v, 5e-5);
    }
}
