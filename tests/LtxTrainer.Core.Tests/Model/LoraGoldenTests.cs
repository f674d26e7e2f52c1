using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Model;

public sealed class LoraGoldenTests : IDisposable
{
    private readonly TransformerGolden _g;

    public LoraGoldenTests(Xunit.Abstractions.ITestOutputHelper output) => _g = new TransformerGolden { Report = output.WriteLine };

    public void Dispose() => _g.Dispose();

    [Fact]
    public void Unfused_adapter_forward_matches()
    {
        using var model = _g.LoadModel();
        using var lora = LoraFile.Load(_g.LoraPath);
        LoraTargets.AttachFrom(model, lora, trainable: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _g.AssertClose("lora.velocity_unfused", model.Forward(_g.ForwardInput()), 5e-5);
    }

    [Theory]
    [InlineData(LoraFuseRule.Float32, "fp32")]
    [InlineData(LoraFuseRule.BFloat16, "bf16")]
    public void Fused_forward_and_weight_match(LoraFuseRule rule, string tag)
    {
        using var model = _g.LoadModel();
        using var lora = LoraFile.Load(_g.LoraPath);
        LoraFusion.Fuse(model, [(lora, 1.0)], rule);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        string prefix = $"fused_{tag}.";
        var keys = _g.Json.RootElement.GetProperty("cases").GetProperty("lora").GetProperty("outputs").EnumerateObject()
            .Select(o => o.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
            _g.AssertClose($"lora.{key}", parameters[key[prefix.Length..]], 1e-6);
        _g.AssertClose($"lora.velocity_fused_{tag}", model.Forward(_g.ForwardInput()), 5e-5);
    }

    [Fact]
    public void Merge_then_unmerge_restores_the_base_and_keeps_the_output()
    {
        using var model = _g.LoadModel();
        using var lora = LoraFile.Load(_g.LoraPath);
        LoraTargets.AttachFrom(model, lora, trainable: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var layers = LoraTargets.All(model).Where(l => l.Layer.HasAdapter).Select(l => l.Layer).ToList();
        Assert.Equal(lora.Modules.Count, layers.Count);
        var before = layers.Select(l => l.Weight.clone()).ToList();
        var unfused = model.Forward(_g.ForwardInput());
        layers.ForEach(l => l.Merge());
        var merged = model.Forward(_g.ForwardInput());
        Assert.True((merged - unfused).abs().max().item<float>() < 5e-5);
        layers.ForEach(l => l.Unmerge());
        for (int i = 0; i < layers.Count; i++)
            Assert.True((layers[i].Weight - before[i]).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void Save_round_trips_the_official_key_layout()
    {
        using var model = _g.LoadModel();
        using var lora = LoraFile.Load(_g.LoraPath);
        LoraTargets.AttachFrom(model, lora, trainable: true);
        var path = Path.Combine(Path.GetTempPath(), $"lora-{Guid.NewGuid():N}.safetensors");
        try
        {
            LoraFile.Save(path, model, ScalarType.Float32);
            using var original = SafetensorsFile.Open(_g.LoraPath);
            using var saved = SafetensorsFile.Open(path);
            Assert.Equal(original.Names.Order(StringComparer.Ordinal), saved.Names.Order(StringComparer.Ordinal));
            foreach (var name in original.Names)
            {
                using var a = original.Load(name);
                using var b = saved.Load(name);
                Assert.True(a.equal(b).all().item<bool>(), name);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Alpha_other_than_rank_is_baked_into_B_on_save()
    {
        using var model = _g.LoadModel();
        var layers = LoraTargets.AttachNew(model, new LoraConfig(Rank: 2, Alpha: 8), new Generator(7));
        using (no_grad())
            foreach (var (_, l) in layers) l.B.Weight.uniform_(-1, 1);
        var path = Path.Combine(Path.GetTempPath(), $"lora-{Guid.NewGuid():N}.safetensors");
        try
        {
            LoraFile.Save(path, model, ScalarType.Float32);
            using var loaded = LoraFile.Load(path);
            var (name, layer) = layers[0];
            using var expected = layer.Delta();
            using var actual = mm(loaded.Modules[name].B, loaded.Modules[name].A);
            Assert.True((expected - actual).abs().max().item<float>() < 1e-6);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_key_that_hits_no_module_is_an_error()
    {
        using var model = _g.LoadModel();
        using var a = zeros(4, 32);
        using var b = zeros(32, 4);
        var bogus = new LoraWeights(new Dictionary<string, (Tensor, Tensor)> { ["transformer_blocks.0.audio_attn1.to_gate_logits"] = (a.clone(), b.clone()) }, "bogus.safetensors");
        var ex = Assert.Throws<CheckpointFormatException>(() => LoraTargets.AttachFrom(model, bogus, trainable: false));
        Assert.Equal("transformer_blocks.0.audio_attn1.to_gate_logits", ex.Key);
        bogus.Dispose();
    }

    [Fact]
    public void Fresh_adapters_cover_the_ten_audio_targets_and_leave_the_output_unchanged()
    {
        using var model = _g.LoadModel();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var before = model.Forward(_g.ForwardInput());
        var layers = LoraTargets.AttachNew(model, new LoraConfig(Rank: 4, Alpha: 4), new Generator(1));
        Assert.Equal(10 * model.Config.NumLayers, layers.Count);
        var after = model.Forward(_g.ForwardInput());
        Assert.Equal(0.0, (after - before).abs().max().item<float>());
        Assert.Equal(20 * model.Config.NumLayers, LoraTargets.Parameters(model).Count);
    }
}
