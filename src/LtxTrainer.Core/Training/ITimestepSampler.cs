using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>Draws one training σ per sample (ltx_trainer/timestep_samplers.py).</summary>
public interface ITimestepSampler
{
    /// <summary>σ [batch] in float32 for sequences of <paramref name="seqLength"/> tokens.</summary>
    Tensor Sample(int batch, long seqLength, Generator? generator = null);
}
