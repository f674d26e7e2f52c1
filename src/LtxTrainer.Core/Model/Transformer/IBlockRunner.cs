using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Transformer;

/// <summary>
/// Runs one transformer block; the default calls it directly, <see cref="Training"/>'s recomputation
/// runner wraps it in a custom autograd node that keeps only the block input.
/// </summary>
public interface IBlockRunner
{
    Tensor Run(int blockIndex, Tensor input, Func<Tensor, Tensor> block);

    /// <summary>
    /// A handle on <paramref name="tensor"/> that stays valid after the forward's dispose scope ends (a
    /// runner that calls the block again during the backward needs the block's conditioning then).
    /// </summary>
    Tensor Retain(Tensor tensor);
}
