using System.Text.Json;
using System.Text.Json.Nodes;
using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Tests.Golden;
using LtxTrainer.Core.Text;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Text;

public sealed class GemmaCheckpointTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ltx-gemma-");
    private readonly TextGolden _golden = new();

    public void Dispose()
    {
        _golden.Dispose();
        _temp.Delete(true);
    }

    // Rewrites the golden Gemma folder as a Hugging Face sharded folder (index + N shards).
    private string ShardedCopy(int shards, torch.ScalarType? dtype = null, Func<string, int, int>? shardOf = null)
    {
        shardOf ??= (_, i) => i % shards;
        var folder = Directory.CreateDirectory(Path.Combine(_temp.FullName, "sharded")).FullName;
        foreach (var f in new[] { "config.json", "tokenizer.model" })
            File.Copy(_golden.PathOf("gemma/" + f), Path.Combine(folder, f));
        using var source = SafetensorsFile.Open(_golden.PathOf("gemma/model.safetensors"));
        var names = source.Names.Order(StringComparer.Ordinal).ToArray();
        var map = new JsonObject();
        for (int s = 0; s < shards; s++)
        {
            string file = $"model-{s + 1:00000}-of-{shards:00000}.safetensors";
            var part = names.Where((n, i) => shardOf(n, i) == s).ToArray();
            var tensors = part.Select(n => new KeyValuePair<string, torch.Tensor>(n, source.Load(n, dtype))).ToList();
            SafetensorsWriter.Write(Path.Combine(folder, file), tensors);
            foreach (var (n, t) in tensors) { t.Dispose(); map[n] = file; }
        }
        var index = new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map };
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), index.ToJsonString());
        return folder;
    }

    private string CopyWithConfig(Action<JsonObject> edit)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.FullName, "edited")).FullName;
        File.Copy(_golden.PathOf("gemma/model.safetensors"), Path.Combine(folder, "model.safetensors"));
        var config = JsonNode.Parse(File.ReadAllText(_golden.PathOf("gemma/config.json")))!.AsObject();
        edit(config);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        return folder;
    }

    [Fact]
    public void Open_GoldenFolder_FindsTheHubTextPrefixBesideTheVisionTower()
    {
        using var checkpoint = GemmaCheckpoint.Open(_golden.PathOf("gemma"));

        Assert.Equal("language_model.model.", checkpoint.Prefix);
        Assert.Contains(checkpoint.Source.Names, n => n.StartsWith("vision_tower.", StringComparison.Ordinal));
    }

    // The multimodal layout: with every non-text tensor in its own shard and that shard's data overwritten
    // with NaN, the hidden states still match the reference, so only the text weights are read.
    [Fact]
    public void MultimodalFolder_NonTextShardIsNeverRead()
    {
        var sharded = ShardedCopy(2, shardOf: (name, _) => name.StartsWith("language_model.", StringComparison.Ordinal) ? 0 : 1);
        var visionShard = Path.Combine(sharded, "model-00002-of-00002.safetensors");
        using (var stream = new FileStream(visionShard, FileMode.Open, FileAccess.ReadWrite))
        {
            var length = new byte[8];
            stream.ReadExactly(length);
            stream.Position = 8 + BitConverter.ToInt64(length);
            var nan = Enumerable.Repeat((byte)0xFF, (int)(stream.Length - stream.Position)).ToArray();
            stream.Write(nan);
        }
        using var ids = _golden.Tensor("tokenize.input_ids");
        using var mask = _golden.Tensor("tokenize.attention_mask");

        foreach (var mode in new[] { GemmaLoadMode.Whole, GemmaLoadMode.Streamed })
        {
            using var model = Gemma3TextModel.Load(sharded, mode, torch.float32, torch.CPU);
            using var states = model.Forward(ids, mask);
            _golden.CloseOnValid("gemma.hidden_states", states, mask);
        }
        using var checkpoint = GemmaCheckpoint.Open(sharded);
        Assert.Contains(checkpoint.Source.Names, n => n.StartsWith("vision_tower.", StringComparison.Ordinal) && ((ShardedSafetensors)checkpoint.Source).ShardPathOf(n) == visionShard);
    }

    [Fact]
    public void ShardedFolder_GivesTheSameHiddenStates()
    {
        var sharded = ShardedCopy(3);
        using var ids = _golden.Tensor("tokenize.input_ids");
        using var mask = _golden.Tensor("tokenize.attention_mask");

        using var single = Gemma3TextModel.Load(_golden.PathOf("gemma"), GemmaLoadMode.Whole, torch.float32, torch.CPU);
        using var fromShards = Gemma3TextModel.Load(sharded, GemmaLoadMode.Streamed, torch.float32, torch.CPU);
        using var a = single.Forward(ids, mask);
        using var b = fromShards.Forward(ids, mask);

        Assert.Equal(0.0, TensorAssert.MaxAbs(a, b));
    }

    [Fact]
    public void BFloat16Files_ComputedInFloat32_WholeAndStreamedAreIdentical()
    {
        var sharded = ShardedCopy(2, torch.ScalarType.BFloat16);
        using var ids = _golden.Tensor("tokenize.input_ids");
        using var mask = _golden.Tensor("tokenize.attention_mask");

        using var whole = Gemma3TextModel.Load(sharded, GemmaLoadMode.Whole, torch.float32, torch.CPU);
        using var streamed = Gemma3TextModel.Load(sharded, GemmaLoadMode.Streamed, torch.float32, torch.CPU);
        using var a = whole.Forward(ids, mask);
        using var b = streamed.Forward(ids, mask);

        Assert.Equal(torch.ScalarType.Float32, a.dtype);
        Assert.Equal(0.0, TensorAssert.MaxAbs(a, b));
    }

    [Fact]
    public void Open_MissingShard_NamesTheShard()
    {
        var sharded = ShardedCopy(2);
        var missing = Path.Combine(sharded, "model-00002-of-00002.safetensors");
        File.Delete(missing);

        var ex = Assert.Throws<CheckpointFormatException>(() => GemmaCheckpoint.Open(sharded));

        Assert.Equal(missing, ex.File);
    }

    [Fact]
    public void Open_HiddenSizeMismatch_NamesConfigAndWeights()
    {
        var folder = CopyWithConfig(c => c["text_config"]!["hidden_size"] = 96);

        var ex = Assert.Throws<CheckpointFormatException>(() => GemmaCheckpoint.Open(folder));

        Assert.Equal(Path.Combine(folder, "config.json"), ex.File);
        Assert.Contains("model.safetensors", ex.Message);
        Assert.Equal("language_model.model.embed_tokens.weight", ex.Key);
    }

    [Fact]
    public void Open_MoreLayersThanTheWeights_NamesTheMissingKey()
    {
        var folder = CopyWithConfig(c => c["text_config"]!["num_hidden_layers"] = 5);

        var ex = Assert.Throws<CheckpointFormatException>(() => GemmaCheckpoint.Open(folder));

        Assert.Equal("language_model.model.layers.4.self_attn.q_proj.weight", ex.Key);
        Assert.Contains("model.safetensors", ex.Message);
    }

    [Fact]
    public void Open_MissingConfig_NamesTheFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.FullName, "noconfig")).FullName;
        File.Copy(_golden.PathOf("gemma/model.safetensors"), Path.Combine(folder, "model.safetensors"));

        var ex = Assert.Throws<CheckpointFormatException>(() => GemmaCheckpoint.Open(folder));

        Assert.Equal(Path.Combine(folder, "config.json"), ex.File);
    }
}
