using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Common;

/// <summary>
/// The frozen part of an attention's key and value projections of its context, <c>W_k·c + b_k</c> and
/// <c>W_v·c + b_v</c> [B, S, inner], without any LoRA update. A cross-attention whose context does not change
/// between steps can take these instead of recomputing them; the LoRA part is still computed from the context.
/// </summary>
public sealed record BaseKeyValue(Tensor Key, Tensor Value);
