using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Transformer;

/// <summary>
/// Runs one transformer block; the default calls it directly, <see cref="Training"/>'s recomputation
/// runner wraps it in a custom autograd node that keeps only the block input.
/// </summary>
public interface IBlockRunner
{
    Tensor Run(int blockIndex, Tensor input, Func<Tensor, Tensor> block);
}
