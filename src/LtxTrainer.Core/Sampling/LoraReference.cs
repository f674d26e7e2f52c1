namespace LtxTrainer.Core.Sampling;

/// <summary>A LoRA file to apply to a generation, with its strength (ltx-core's <c>--lora FILE STRENGTH</c>, default 1).</summary>
/// <param name="Path">The LoRA <c>.safetensors</c> (official ltx-trainer / ComfyUI layout).</param>
/// <param name="Strength">Multiplier of the LoRA's update B·A.</param>
public sealed record LoraReference(string Path, double Strength = 1.0);
