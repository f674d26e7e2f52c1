using System.Text.Json;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Core.Text;

/// <summary>
/// The Gemma 3 text-decoder configuration, resolved the way HF transformers 5.x resolves a
/// <c>config.json</c>: the multimodal layout (<c>text_config</c> inside a
/// <c>Gemma3ForConditionalGeneration</c> file) or a plain text config; legacy rope keys
/// (<c>rope_scaling</c>, <c>rope_theta</c>, <c>rope_local_base_freq</c>, <c>sliding_window_pattern</c>)
/// or resolved ones (<c>rope_parameters</c>, <c>layer_types</c>); every absent key takes the
/// <c>Gemma3TextConfig</c> default. The published google/gemma-3-12b config lists only a handful of keys,
/// so the defaults are load-bearing.
/// </summary>
public sealed record Gemma3TextConfig
{
    public int VocabSize { get; init; } = 262208;
    public int HiddenSize { get; init; } = 2304;
    public int IntermediateSize { get; init; } = 9216;
    public int NumHiddenLayers { get; init; } = 26;
    public int NumAttentionHeads { get; init; } = 8;
    public int NumKeyValueHeads { get; init; } = 4;
    public int HeadDim { get; init; } = 256;
    public double QueryPreAttnScalar { get; init; } = 256;
    public int SlidingWindow { get; init; } = 4096;
    public double RmsNormEps { get; init; } = 1e-6;
    public string HiddenActivation { get; init; } = "gelu_pytorch_tanh";
    public int PadTokenId { get; init; } = 0;
    public int BosTokenId { get; init; } = 2;
    public int EosTokenId { get; init; } = 1;
    public IReadOnlyList<Gemma3LayerType> LayerTypes { get; init; } = [];
    public Gemma3RopeParameters SlidingRope { get; init; } = new("default", 10000.0, 1.0);
    public Gemma3RopeParameters FullRope { get; init; } = new("default", 1000000.0, 1.0);

    /// <summary>Hidden states the model returns: the embedding output plus one per layer.</summary>
    public int HiddenStateCount => NumHiddenLayers + 1;

    /// <summary>Rope settings of one layer type.</summary>
    public Gemma3RopeParameters Rope(Gemma3LayerType type) => type == Gemma3LayerType.FullAttention ? FullRope : SlidingRope;

    /// <summary>Reads <c>config.json</c> of a Hugging Face Gemma 3 folder.</summary>
    public static Gemma3TextConfig Load(string configPath)
    {
        if (!File.Exists(configPath))
            throw new CheckpointFormatException($"Gemma config file '{configPath}' does not exist.", configPath);
        return Parse(File.ReadAllText(configPath), configPath);
    }

    /// <summary>Parses config JSON text; <paramref name="file"/> names the source in errors.</summary>
    public static Gemma3TextConfig Parse(string json, string file)
    {
        using (var doc = CheckpointJson.Parse(json, $"Gemma config '{file}'", file))
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException($"Gemma config '{file}' is not a JSON object.", file);
            bool nested = root.TryGetProperty("text_config", out var tc) && tc.ValueKind == JsonValueKind.Object;
            var text = nested ? tc : root;
            try
            {
                return FromTextSection(text, new ConfigReader($"Gemma config '{file}'", nested ? "text_config" : "config", file), file);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new CheckpointFormatException($"Gemma config '{file}' has a malformed entry: {ex.Message}", file, inner: ex);
            }
        }
    }

    private static Gemma3TextConfig FromTextSection(JsonElement t, ConfigReader r, string file)
    {
        var defaults = new Gemma3TextConfig();
        int layers = r.Int(t, "num_hidden_layers", defaults.NumHiddenLayers);
        var config = new Gemma3TextConfig
        {
            VocabSize = r.Int(t, "vocab_size", defaults.VocabSize),
            HiddenSize = r.Int(t, "hidden_size", defaults.HiddenSize),
            IntermediateSize = r.Int(t, "intermediate_size", defaults.IntermediateSize),
            NumHiddenLayers = layers,
            NumAttentionHeads = r.Int(t, "num_attention_heads", defaults.NumAttentionHeads),
            NumKeyValueHeads = r.Int(t, "num_key_value_heads", defaults.NumKeyValueHeads),
            HeadDim = r.Int(t, "head_dim", defaults.HeadDim),
            QueryPreAttnScalar = r.Double(t, "query_pre_attn_scalar", defaults.QueryPreAttnScalar),
            SlidingWindow = r.Int(t, "sliding_window", defaults.SlidingWindow),
            RmsNormEps = r.Double(t, "rms_norm_eps", defaults.RmsNormEps),
            HiddenActivation = r.String(t, "hidden_activation", r.String(t, "hidden_act", defaults.HiddenActivation)),
            PadTokenId = r.Int(t, "pad_token_id", defaults.PadTokenId),
            BosTokenId = r.Int(t, "bos_token_id", defaults.BosTokenId),
            EosTokenId = FirstInt(t, "eos_token_id", defaults.EosTokenId),
            LayerTypes = ResolveLayerTypes(t, layers, r, file),
        };
        var (sliding, full) = ResolveRope(t, r, file);
        config = config with { SlidingRope = sliding, FullRope = full };
        RejectUnsupported(t, config, file);
        return config;
    }

    private static IReadOnlyList<Gemma3LayerType> ResolveLayerTypes(JsonElement t, int layers, ConfigReader r, string file)
    {
        if (t.TryGetProperty("layer_types", out var lt) && lt.ValueKind == JsonValueKind.Array)
        {
            var types = lt.EnumerateArray().Select(e => e.GetString() switch
            {
                "sliding_attention" => Gemma3LayerType.SlidingAttention,
                "full_attention" => Gemma3LayerType.FullAttention,
                var other => throw new CheckpointFormatException($"Gemma config '{file}': unknown layer type '{other}' in layer_types.", file),
            }).ToArray();
            if (types.Length != layers)
                throw new CheckpointFormatException($"Gemma config '{file}': layer_types lists {types.Length} layers but num_hidden_layers is {layers}.", file);
            return types;
        }
        // HF: layer i is full attention iff (i + 1) % sliding_window_pattern == 0 (default pattern 6).
        int pattern = r.Int(t, "sliding_window_pattern", 6);
        if (pattern <= 0)
            throw new CheckpointFormatException($"Gemma config '{file}': sliding_window_pattern must be positive, got {pattern}.", file);
        return Enumerable.Range(0, layers)
            .Select(i => (i + 1) % pattern == 0 ? Gemma3LayerType.FullAttention : Gemma3LayerType.SlidingAttention)
            .ToArray();
    }

    private static (Gemma3RopeParameters Sliding, Gemma3RopeParameters Full) ResolveRope(JsonElement t, ConfigReader r, string file)
    {
        if (t.TryGetProperty("rope_parameters", out var rp) && rp.ValueKind == JsonValueKind.Object
            && rp.TryGetProperty("full_attention", out _))
        {
            return (RopeFrom(rp, "sliding_attention", 10000.0, r, file), RopeFrom(rp, "full_attention", 1000000.0, r, file));
        }
        // Legacy keys, merged as transformers 5.x does: rope_scaling describes the full-attention layers,
        // rope_theta is their base, rope_local_base_freq the sliding layers' base.
        double fullTheta = r.Double(t, "rope_theta", 1000000.0);
        double localTheta = r.Double(t, "rope_local_base_freq", 10000.0);
        var full = new Gemma3RopeParameters("default", fullTheta, 1.0);
        if (t.TryGetProperty("rope_scaling", out var rs) && rs.ValueKind == JsonValueKind.Object)
            full = ParseRope(rs, fullTheta, r, file, "rope_scaling");
        return (new Gemma3RopeParameters("default", localTheta, 1.0), full);
    }

    private static Gemma3RopeParameters RopeFrom(JsonElement rp, string name, double defaultTheta, ConfigReader r, string file)
    {
        if (!rp.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Object)
            return new Gemma3RopeParameters("default", defaultTheta, 1.0);
        return ParseRope(e, r.Double(e, "rope_theta", defaultTheta), r, file, "rope_parameters." + name);
    }

    private static Gemma3RopeParameters ParseRope(JsonElement e, double theta, ConfigReader r, string file, string where)
    {
        string type = r.String(e, "rope_type", r.String(e, "type", "default"));
        double factor = r.Double(e, "factor", 1.0);
        if (type is not ("default" or "linear"))
            throw new CheckpointFormatException(
                $"Gemma config '{file}': {where} rope_type '{type}' is not supported (Gemma 3 uses 'default' and 'linear').", file);
        return new Gemma3RopeParameters(type, theta, type == "linear" ? factor : 1.0);
    }

    private static void RejectUnsupported(JsonElement t, Gemma3TextConfig c, string file)
    {
        foreach (var key in new[] { "attn_logit_softcapping", "final_logit_softcapping" })
            if (t.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null)
                throw new CheckpointFormatException($"Gemma config '{file}': {key} = {v.GetRawText()} is not supported (Gemma 3 has none).", file);
        if (t.TryGetProperty("use_bidirectional_attention", out var bi) && bi.ValueKind == JsonValueKind.True)
            throw new CheckpointFormatException($"Gemma config '{file}': use_bidirectional_attention is not supported.", file);
        if (t.TryGetProperty("attention_bias", out var ab) && ab.ValueKind == JsonValueKind.True)
            throw new CheckpointFormatException($"Gemma config '{file}': attention_bias = true is not supported.", file);
        if (c.HiddenActivation is not ("gelu_pytorch_tanh" or "gelu_new" or "gelu_fast"))
            throw new CheckpointFormatException($"Gemma config '{file}': hidden_activation '{c.HiddenActivation}' is not supported (expected gelu_pytorch_tanh).", file);
        if (c.NumKeyValueHeads <= 0 || c.NumAttentionHeads % c.NumKeyValueHeads != 0)
            throw new CheckpointFormatException(
                $"Gemma config '{file}': num_attention_heads {c.NumAttentionHeads} is not a multiple of num_key_value_heads {c.NumKeyValueHeads}.", file);
        if (c.HeadDim % 2 != 0)
            throw new CheckpointFormatException($"Gemma config '{file}': head_dim {c.HeadDim} must be even for RoPE.", file);
    }

    private static int FirstInt(JsonElement e, string key, int fallback)
    {
        if (!e.TryGetProperty(key, out var v)) return fallback;
        if (v.ValueKind == JsonValueKind.Number) return v.GetInt32();
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0) return v[0].GetInt32();
        return fallback;
    }
}
