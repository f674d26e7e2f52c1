using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Text;

/// <summary>
/// The text-decoder weights of a Hugging Face Gemma 3 folder (<c>config.json</c> + <c>model.safetensors</c>
/// or a sharded index). Works on the multimodal Hub layout (<c>language_model.model.*</c>, the vision tower
/// is never read), the transformers 5.x layout (<c>model.language_model.*</c>) and a plain causal-LM folder
/// (<c>model.*</c>). Shapes are checked against the config on open, from the headers only.
/// </summary>
public sealed class GemmaCheckpoint : IDisposable
{
    private static readonly string[] Prefixes = ["language_model.model.", "model.language_model.", "model.", ""];

    private GemmaCheckpoint(string folder, string configPath, Gemma3TextConfig config, ITensorSource source, string prefix)
    {
        Folder = folder;
        ConfigPath = configPath;
        Config = config;
        Source = source;
        Prefix = prefix;
    }

    public string Folder { get; }

    public string ConfigPath { get; }

    public Gemma3TextConfig Config { get; }

    /// <summary>All tensors of the folder (text weights are read through <see cref="Load"/>).</summary>
    public ITensorSource Source { get; }

    /// <summary>The key prefix in front of <c>embed_tokens.weight</c>, <c>layers.N.*</c> and <c>norm.weight</c>.</summary>
    public string Prefix { get; }

    /// <summary>The weights file (or index) named in errors.</summary>
    public string WeightsPath => SourcePath(Source);

    /// <summary>Opens a Gemma 3 folder and checks the text weights against its config.</summary>
    public static GemmaCheckpoint Open(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new CheckpointFormatException($"Gemma folder '{full}' does not exist.", full);
        var configPath = Path.Combine(full, "config.json");
        var config = Gemma3TextConfig.Load(configPath);
        var source = TensorSources.Open(full);
        try
        {
            var prefix = Prefixes.FirstOrDefault(p => source.TryGetInfo(p + "embed_tokens.weight") is not null)
                ?? throw new CheckpointFormatException(
                    $"'{SourcePath(source)}' holds no Gemma text weights (no '<prefix>embed_tokens.weight' for any of the prefixes {string.Join(", ", Prefixes.Select(p => $"'{p}'"))}).",
                    SourcePath(source));
            var checkpoint = new GemmaCheckpoint(full, configPath, config, source, prefix);
            checkpoint.Validate();
            return checkpoint;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Full key of a text-model tensor, e.g. <c>layers.3.mlp.up_proj.weight</c>.</summary>
    public string Key(string relative) => Prefix + relative;

    /// <summary>Loads one text-model tensor, converted to the dtype and device.</summary>
    public torch.Tensor Load(string relative, torch.ScalarType dtype, torch.Device device) => Source.Load(Key(relative), dtype, device);

    /// <summary>Header entry of one text-model tensor.</summary>
    public SafetensorsTensorInfo Info(string relative) =>
        Source.TryGetInfo(Key(relative))
        ?? throw new CheckpointFormatException($"'{WeightsPath}' has no tensor '{Key(relative)}' (Gemma config '{ConfigPath}' declares {Config.NumHiddenLayers} layers).", WeightsPath, Key(relative));

    /// <summary>The file that holds one text-model tensor (a shard for sharded folders).</summary>
    public string FileOf(string relative) => Source switch
    {
        ShardedSafetensors sharded => sharded.ShardPathOf(Key(relative)),
        _ => WeightsPath,
    };

    private void Validate()
    {
        var c = Config;
        long q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        Expect("embed_tokens.weight", c.VocabSize, c.HiddenSize);
        Expect("norm.weight", c.HiddenSize);
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            string l = $"layers.{i}.";
            Expect(l + "self_attn.q_proj.weight", q, c.HiddenSize);
            Expect(l + "self_attn.k_proj.weight", kv, c.HiddenSize);
            Expect(l + "self_attn.v_proj.weight", kv, c.HiddenSize);
            Expect(l + "self_attn.o_proj.weight", c.HiddenSize, q);
            Expect(l + "self_attn.q_norm.weight", c.HeadDim);
            Expect(l + "self_attn.k_norm.weight", c.HeadDim);
            Expect(l + "mlp.gate_proj.weight", c.IntermediateSize, c.HiddenSize);
            Expect(l + "mlp.up_proj.weight", c.IntermediateSize, c.HiddenSize);
            Expect(l + "mlp.down_proj.weight", c.HiddenSize, c.IntermediateSize);
            foreach (var norm in GemmaLayerWeights.NormNames)
                Expect(l + norm + ".weight", c.HiddenSize);
        }
    }

    private void Expect(string relative, params long[] shape)
    {
        var info = Info(relative);
        if (!info.Shape.SequenceEqual(shape))
            throw new CheckpointFormatException(
                $"Gemma config '{ConfigPath}' does not match the weights: it implies '{Key(relative)}' of shape [{string.Join(", ", shape)}], but '{FileOf(relative)}' has [{string.Join(", ", info.Shape)}].",
                ConfigPath, Key(relative));
    }

    /// <summary>The path of a single file or the index of a sharded source.</summary>
    internal static string SourcePath(ITensorSource source) => source switch
    {
        SafetensorsFile f => f.Path,
        ShardedSafetensors s => s.IndexPath,
        _ => source.ToString() ?? "checkpoint",
    };

    public void Dispose() => Source.Dispose();
}
