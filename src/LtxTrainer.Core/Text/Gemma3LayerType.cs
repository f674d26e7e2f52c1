namespace LtxTrainer.Core.Text;

/// <summary>The two attention kinds of Gemma 3 decoder layers (HF <c>layer_types</c>).</summary>
public enum Gemma3LayerType
{
    /// <summary>Causal attention limited to the last <c>sliding_window</c> positions (the query included).</summary>
    SlidingAttention,

    /// <summary>Plain causal attention over every earlier position.</summary>
    FullAttention,
}
