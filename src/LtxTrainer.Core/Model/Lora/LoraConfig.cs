namespace LtxTrainer.Core.Model.Lora;

/// <summary>
/// Training-time LoRA settings (ltx_trainer/trainer.py, <c>_setup_lora</c>). Targets are module-name suffixes matched
/// the PEFT way
/// (the whole name, or a suffix after a dot); the default is the ten audio modules of
/// <c>audio_suffix_lora.yaml</c>.
/// </summary>
public sealed record LoraConfig(int Rank = 32, double Alpha = 32, double Dropout = 0.0, IReadOnlyList<string>? Targets = null)
{
    /// <summary>The ten audio projections adapted per block.</summary>
    public static readonly IReadOnlyList<string> AudioTargets =
    [
        "audio_attn1.to_q", "audio_attn1.to_k", "audio_attn1.to_v", "audio_attn1.to_out.0",
        "audio_attn2.to_q", "audio_attn2.to_k", "audio_attn2.to_v", "audio_attn2.to_out.0",
        "audio_ff.net.0.proj", "audio_ff.net.2",
    ];

    public IReadOnlyList<string> TargetModules => Targets ?? AudioTargets;

    /// <summary>α / r, the factor PEFT applies to B·A.</summary>
    public double Scaling => Alpha / Rank;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (Rank <= 0) throw new ArgumentException($"LoRA rank must be positive (got {Rank}).", nameof(Rank));
        if (!(Alpha > 0) || double.IsInfinity(Alpha)) throw new ArgumentException($"LoRA alpha must be a positive number (got {Alpha}).", nameof(Alpha));
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"LoRA dropout must be in [0, 1) (got {Dropout}).", nameof(Dropout));
        if (TargetModules.Count == 0) throw new ArgumentException("LoRA needs at least one target module.", nameof(Targets));
    }
}
