using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Training;

/// <summary>
/// How a run is carried out, as opposed to what is trained (that comes from the request): seed, checkpoint
/// cadence, device and precision. Every property has a documented default; <see cref="Validate"/> names a bad one.
/// </summary>
public sealed record TrainingRunOptions
{
    /// <summary>Seeds the LoRA initialisation, the data order and every training draw (ltx-trainer's default 42).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Steps between checkpoints; 0 writes one only when the run stops early (Ctrl+C). Upstream's audio recipe: 250.</summary>
    public int CheckpointInterval { get; init; } = 250;

    /// <summary>Checkpoints kept (older ones are removed once a newer one is complete). Upstream's audio recipe: 3.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Steps between validation previews; 0 previews only at the end.</summary>
    public int ValidationInterval { get; init; }

    /// <summary>Where the transformer and the LoRA live; null = CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>
    /// Dtype of the frozen base; null = bfloat16 on CUDA (the official precision) and float32 on CPU (bf16 is
    /// slower than fp32 on CPUs and the tests compare float32). The LoRA and optimizer state are always float32.
    /// </summary>
    public ScalarType? BaseDType { get; init; }

    /// <summary>Recompute block activations in the backward; null = on for CUDA (memory bound), off on CPU (speed bound).</summary>
    public bool? RecomputeActivations { get; init; }

    /// <summary>Dtype of the final LoRA file: bfloat16 (ltx-trainer's default) or float32.</summary>
    public ScalarType LoraDType { get; init; } = ScalarType.BFloat16;

    /// <summary>Continue from the newest checkpoint in the output folder.</summary>
    public bool Resume { get; init; }

    /// <summary>Replace the outputs of a run that already finished in the output folder.</summary>
    public bool Force { get; init; }

    /// <summary>Smoothing factor of the reported loss (exponential moving average weight of the newest step).</summary>
    public double LossSmoothing { get; init; } = 0.05;

    public Device ResolvedDevice => Device ?? CPU;

    public ScalarType ResolvedBaseDType => BaseDType ?? (ResolvedDevice.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32);

    public bool ResolvedRecompute => RecomputeActivations ?? ResolvedDevice.type == DeviceType.CUDA;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (CheckpointInterval < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, "Must be 0 or more.");
        if (KeepCheckpoints < 1) throw new ArgumentOutOfRangeException(nameof(KeepCheckpoints), KeepCheckpoints, "At least one checkpoint must be kept.");
        if (ValidationInterval < 0) throw new ArgumentOutOfRangeException(nameof(ValidationInterval), ValidationInterval, "Must be 0 or more.");
        if (LoraDType is not (ScalarType.BFloat16 or ScalarType.Float32))
            throw new ArgumentOutOfRangeException(nameof(LoraDType), LoraDType, "The LoRA is written as bfloat16 or float32.");
        if (!(LossSmoothing > 0 && LossSmoothing <= 1)) throw new ArgumentOutOfRangeException(nameof(LossSmoothing), LossSmoothing, "Must be in (0, 1].");
    }
}
