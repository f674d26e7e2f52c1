using LtxTrainer.Core.Model.Common;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Model.Transformer;

/// <summary>
/// Everything a transformer block needs besides its hidden state, prepared once per forward:
/// per-token AdaLN output [B, T, K·D], prompt AdaLN output [B, 1, 2·D] (2.3) or null, the text context and
/// its additive mask, and the RoPE tables.
/// </summary>
public sealed record BlockConditioning(Tensor Modulation, Tensor? PromptModulation, Tensor Context, Tensor? AdditiveMask, RotaryEmbedding Rope);
