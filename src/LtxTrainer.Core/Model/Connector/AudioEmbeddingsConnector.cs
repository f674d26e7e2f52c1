using LtxTrainer.Core.Checkpoints;
using LtxTrainer.Core.Model.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Connector;

/// <summary>
/// The audio embeddings connector network (ltx_core/text_encoders/gemma/embeddings_connector.py), with the module
/// names of <c>audio_embeddings_connector.*</c> in the checkpoint; the text path runs it through
/// <see cref="LtxTrainer.Core.Text.AudioTextContextBuilder"/>. It takes the feature extractor's audio features
/// [B, S, D] with the tokenizer's attention mask [B, S] (1 = token, 0 = pad, any padding side) and returns the
/// transformer's text context [B, S, D]. Valid tokens are moved to the front in order, padded positions become learnable registers, so the context has no padding left and the
/// transformer can attend to all S positions. Frozen; deterministic per caption, so it can be cached.
/// </summary>
public sealed class AudioEmbeddingsConnector : nn.Module<Tensor, Tensor>
{
    /// <summary>RoPE base of the connector (a code constant upstream; no config key).</summary>
    public const double RopeTheta = 10000.0;

    private readonly ModuleList<ConnectorBlock> transformer_1d_blocks;
    private readonly Parameter learnable_registers;

    public AudioEmbeddingsConnector(AudioConnectorConfig config, bool float64RopeGrid, IWeightSource weights) : base(nameof(AudioEmbeddingsConnector))
    {
        Config = config;
        Float64RopeGrid = float64RopeGrid;
        var w = WeightScope.Root(weights);
        var blocks = w.Sub("transformer_1d_blocks");
        transformer_1d_blocks = new ModuleList<ConnectorBlock>(Enumerable.Range(0, config.Layers)
            .Select(i => new ConnectorBlock(blocks.Sub(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), config.Heads, config.HeadDim, config.GatedAttention, config.FfBias))
            .ToArray());
        learnable_registers = w.Frozen("learnable_registers", config.Registers, config.InnerDim);
        RegisterComponents();
    }

    public AudioConnectorConfig Config { get; }
    public bool Float64RopeGrid { get; }

    /// <summary>Loads <c>model.diffusion_model.audio_embeddings_connector.*</c> (LTX-2.3 unified checkpoints).</summary>
    public static AudioEmbeddingsConnector Load(LtxCheckpoint checkpoint, ScalarType dtype, Device? device = null) =>
        new(checkpoint.Config.AudioConnector, checkpoint.Config.RopeFloat64Grid, checkpoint.AudioConnectorWeights(dtype, device));

    public override Tensor forward(Tensor features) => throw new NotSupportedException("Call Forward with the attention mask.");

    /// <summary>
    /// <paramref name="features"/> [B, S, D] (S a multiple of the register count, e.g. 1024);
    /// <paramref name="attentionMask"/> [B, S], nonzero = real token. Returns the context [B, S, D].
    /// </summary>
    public Tensor Forward(Tensor features, Tensor attentionMask) => Forward(features, attentionMask, trace: null);

    /// <summary>
    /// <see cref="Forward(Tensor, Tensor)"/> reporting its intermediates to <paramref name="trace"/> (valid only
    /// during the call), so each stage can be checked against the reference on its own:
    /// <c>sort_idx</c> [B, S] (int64), <c>mask_reordered</c> [B, S] (1 = token, 0 = padding, after reordering),
    /// <c>after_registers</c> [B, S, D] and <c>block{i}_out</c> [B, S, D].
    /// </summary>
    internal Tensor Forward(Tensor features, Tensor attentionMask, Action<string, Tensor>? trace)
    {
        long b = features.shape[0], s = features.shape[1];
        if (features.ndim != 3 || features.shape[2] != Config.InnerDim)
            throw new ArgumentException($"Audio features must be [B, S, {Config.InnerDim}], got [{string.Join(", ", features.shape)}].", nameof(features));
        if (attentionMask.ndim != 2 || attentionMask.shape[0] != b || attentionMask.shape[1] != s)
            throw new ArgumentException($"The attention mask must be [{b}, {s}], got [{string.Join(", ", attentionMask.shape)}].", nameof(attentionMask));
        if (s % Config.Registers != 0)
            throw new ArgumentException($"The text length {s} must be a multiple of the {Config.Registers} learnable registers.", nameof(features));

        using var scope = NewDisposeScope();
        var (order, valid) = RightPadOrder(attentionMask);
        var h = features.gather(1, order.to(features.device).unsqueeze(-1).expand(b, s, features.shape[2]));
        var m = valid.to(features.dtype, features.device).unsqueeze(-1);
        var registers = learnable_registers.repeat(s / Config.Registers, 1).to(features.dtype).unsqueeze(0).expand(b, -1, -1);
        h = m * h + (1 - m) * registers;
        if (trace is not null)
        {
            trace("sort_idx", order);
            trace("mask_reordered", valid);
            trace("after_registers", h);
        }

        var positions = arange(s, dtype: ScalarType.Float32, device: features.device).unsqueeze(0).expand(b, -1);
        using var rope = RotaryEmbedding.Create(positions, Config.InnerDim, Config.Heads, RopeTheta, Config.MaxPos, Float64RopeGrid, features.dtype);
        int index = 0;
        foreach (var block in transformer_1d_blocks)
        {
            h = block.Forward(h, rope);
            trace?.Invoke($"block{index++}_out", h);
        }
        return RmsNorm.Apply(h, ConnectorBlock.NormEps).MoveToOuterDisposeScope();
    }

    /// <summary>Per row: a stable order putting real tokens first, and the reordered 1/0 mask.</summary>
    private static (Tensor Order, Tensor Valid) RightPadOrder(Tensor attentionMask)
    {
        using var cpu = attentionMask.to(ScalarType.Int64, CPU);
        long b = cpu.shape[0], s = cpu.shape[1];
        var flags = cpu.data<long>().ToArray();
        var order = new long[b * s];
        var valid = new float[b * s];
        for (long r = 0; r < b; r++)
        {
            long n = 0;
            for (long i = 0; i < s; i++) if (flags[r * s + i] != 0) { order[r * s + n] = i; valid[r * s + n] = 1; n++; }
            for (long i = 0; i < s; i++) if (flags[r * s + i] == 0) order[r * s + n++] = i;
        }
        return (tensor(order).view(b, s), tensor(valid).view(b, s));
    }
}
