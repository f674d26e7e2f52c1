namespace LtxTrainer.Core.Text;

/// <summary>How the Gemma weights are held while encoding.</summary>
public enum GemmaLoadMode
{
    /// <summary><see cref="Whole"/> when it fits in the memory available now, else <see cref="Streamed"/>
    /// (decided by <see cref="GemmaMemoryPlan"/> when the encoder opens).</summary>
    Auto,

    /// <summary>Every layer resident on the device for the model's lifetime (fastest for many captions).</summary>
    Whole,

    /// <summary>One decoder layer at a time read from the memory-mapped file and freed after use, so peak
    /// memory is about one layer plus activations. Outputs are identical to <see cref="Whole"/>.</summary>
    Streamed,
}
