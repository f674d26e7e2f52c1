namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Shape of the audio text connector (ltx_core/text_encoders/gemma/embeddings_connector.py), read from
/// <c>config.transformer</c>.
/// </summary>
/// <param name="Heads">Attention heads (<c>audio_connector_num_attention_heads</c>, else the video connector's).</param>
/// <param name="HeadDim">Head width (<c>audio_connector_attention_head_dim</c>, else the video connector's).</param>
/// <param name="Layers">Blocks (<c>audio_connector_num_layers</c>, else <c>connector_num_layers</c>).</param>
/// <param name="MaxPos">RoPE divisor for token indices (<c>connector_positional_embedding_max_pos</c>).</param>
/// <param name="GatedAttention">Per-head gates in the connector attention.</param>
/// <param name="FfBias">Biases in the connector feed-forward.</param>
/// <param name="Registers">Learnable registers replacing padded tokens (hard-coded 128 upstream).</param>
public sealed record AudioConnectorConfig(int Heads, int HeadDim, int Layers, double MaxPos, bool GatedAttention, bool FfBias, int Registers)
{
    /// <summary>Connector width = heads × head dim.</summary>
    public int InnerDim => Heads * HeadDim;
}
