using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Model.Lora;

namespace LtxTrainer.Core.Training;

/// <summary>
/// What a run trains, derived from an accepted request (the one place where request fields become engine
/// settings). Follows ltx-trainer's audio recipe (<c>packages/ltx-trainer/configs/audio_suffix_lora.yaml</c>):
/// LoRA rank r with α = r on the ten audio projections, no dropout, AdamW with torch defaults, the linear
/// schedule (factor 1 → 0.1), grad-norm clip 1.0, batch 1, the suffix condition on every sample (p = 1), and the
/// shifted logit-normal σ sampler.
/// </summary>
/// <param name="Lora">Rank, α and targets of the adapters.</param>
/// <param name="Steps">Optimizer steps of the whole run.</param>
/// <param name="LearningRate">Base learning rate.</param>
/// <param name="SuffixTokens">
/// K, the clean suffix in latent steps: round(25·conditioning_seconds). The suffix procedure is ltx-trainer's:
/// the last K tokens of the whole clip's encoding (see <see cref="SuffixProcedure"/>).
/// </param>
/// <param name="SuffixProbability">Share of samples that get the suffix condition (upstream recipe: 1.0).</param>
/// <param name="StepOptions">Optimizer, clip and schedule of <see cref="LoraTrainingStep"/>.</param>
/// <param name="Run">Seed, checkpoints, device and precision.</param>
public sealed record TrainingPlan(LoraConfig Lora, int Steps, double LearningRate, long SuffixTokens, double SuffixProbability,
    TrainingStepOptions StepOptions, TrainingRunOptions Run)
{
    /// <summary>Training type written into the LoRA metadata and the config JSON.</summary>
    public const string TrainingType = "audio-extend-suffix";

    /// <summary>
    /// How the suffix is built, in words (also written into the outputs). Training takes the last K tokens of the
    /// whole clip's encoding, exactly as ltx-trainer's flexible strategy does with preprocessed latents; previews
    /// encode the closing seconds on their own, as ltx-trainer's validation and the inference cmdlet do. The audio
    /// VAE is causal in time, so the two differ slightly in the first suffix tokens (their receptive field reaches
    /// into the lead-in in one case and into padding in the other); matching upstream on both sides keeps a LoRA
    /// trained here interchangeable with one trained there.
    /// </summary>
    public const string SuffixProcedure =
        "training: last K tokens of the whole-clip encoding (ltx-trainer flexible strategy); previews: closing seconds encoded on their own (ltx-trainer validation, Invoke-LtxLeadInPreview)";

    /// <summary>The plan for an accepted request.</summary>
    public static TrainingPlan For(AudioSuffixConfig config, TrainingRunOptions? run = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        run ??= new TrainingRunOptions();
        run.Validate();
        var derived = AudioSuffixDerivedFigures.For(config);
        var lora = new LoraConfig(Rank: config.Rank, Alpha: config.Rank, Dropout: 0.0);
        lora.Validate();
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Linear, config.LearningRate, config.NumberOfSteps);
        // LoRA dropout draws from the step's own generator, seeded from the run's seed (1 is the loop's draws).
        var stepOptions = new TrainingStepOptions(schedule, RecomputeActivations: run.ResolvedRecompute, DropoutSeed: unchecked(run.Seed + 2));
        return new TrainingPlan(lora, config.NumberOfSteps, config.LearningRate, derived.SuffixSteps, 1.0, stepOptions, run);
    }

    /// <summary>
    /// The settings a checkpoint must share with this plan to be resumed by it (what changes the numbers;
    /// cadence, keep count and output dtype may differ between the interrupted run and its continuation).
    /// </summary>
    public string Fingerprint(string dataFingerprint) => string.Join("|",
        TrainingType, Lora.Rank, Lora.Alpha.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string.Join(",", Lora.TargetModules), Steps, LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        SuffixTokens, SuffixProbability.ToString("R", System.Globalization.CultureInfo.InvariantCulture), StepOptions.Schedule.Kind,
        Run.Seed, Run.ResolvedBaseDType, dataFingerprint);
}
