using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// One preprocessed clip: its normalised, patchified audio latent <see cref="Tokens"/> [1, T, C] (float32) and the
/// index of its caption's context in <see cref="TrainingData.Contexts"/>. The owning <see cref="TrainingData"/>
/// disposes the tensor.
/// </summary>
public sealed record TrainingSample(string Name, Tensor Tokens, int CaptionIndex);
