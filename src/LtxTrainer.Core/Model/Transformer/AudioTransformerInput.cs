using LtxTrainer.Core.Model.Common;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Transformer;

/// <summary>
/// One call of the audio transformer (ltx_core/model/transformer/transformer_args.py).
/// Shapes: <see cref="Latent"/> [B, T, C·F] patchified;
/// <see cref="Sigma"/> [B] (drives the prompt AdaLN); <see cref="Timesteps"/> [B, T] per-token σ (0 on clean
/// suffix tokens); <see cref="Positions"/> [B, 1, T, 2] token [start, end) in seconds;
/// <see cref="Context"/> [B, S, D_ctx]; <see cref="ContextMask"/> [B, S] 1 = attend / 0 = ignore, or null.
/// <see cref="CrossAttentionKv"/>, one per block, or null: the base key and value projections of the blocks'
/// cross-attentions on <see cref="Context"/> [B, S, inner] (<see cref="AudioTransformer.CrossAttentionBaseKeyValues"/>),
/// kept from an earlier call with the same context.
/// The caller owns the tensors.
/// </summary>
public sealed record AudioTransformerInput(Tensor Latent, Tensor Sigma, Tensor Timesteps, Tensor Positions, Tensor Context, Tensor? ContextMask = null,
    IReadOnlyList<BaseKeyValue>? CrossAttentionKv = null);
