using LtxTrainer.Core.Contract;
using LtxTrainer.Core.Model.Lora;
using LtxTrainer.Core.Training;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Tests.Training;

public sealed class TrainingPlanTests
{
    private static AudioSuffixConfig Config(int rank = 16, int steps = 500, double lr = 3e-4, double conditioning = 1.0) => new()
    {
        TrainingDataUrl = "/data/clips.zip", Rank = rank, NumberOfSteps = steps, LearningRate = lr, ConditioningSeconds = conditioning,
    };

    [Fact]
    public void The_request_sets_rank_alpha_steps_rate_and_the_linear_schedule()
    {
        var plan = TrainingPlan.For(Config(rank: 16, steps: 500, lr: 3e-4));
        Assert.Equal(16, plan.Lora.Rank);
        Assert.Equal(16, plan.Lora.Alpha);                         // α = r: the audio recipe's scale 1
        Assert.Equal(0.0, plan.Lora.Dropout);
        Assert.Equal(LoraConfig.AudioTargets, plan.Lora.TargetModules);
        Assert.Equal(500, plan.Steps);
        Assert.Equal(LearningRateScheduleKind.Linear, plan.StepOptions.Schedule.Kind);
        Assert.Equal(3e-4, plan.StepOptions.Schedule.At(0), 12);
        Assert.Equal(3e-5, plan.StepOptions.Schedule.At(500), 12);  // factor 0.1 at the end
        Assert.Equal(1.0, plan.StepOptions.MaxGradNorm);
        Assert.Equal(1.0, plan.SuffixProbability);
    }

    [Theory]
    [InlineData(1.0, 25)]
    [InlineData(0.32, 8)]     // upstream's temporal_boundary 8
    [InlineData(0.5, 12)]     // 12.5 rounds half to even
    [InlineData(2.0, 50)]
    public void Suffix_tokens_are_the_rounded_conditioning_seconds_at_25_per_second(double seconds, long tokens)
    {
        var plan = TrainingPlan.For(Config(conditioning: seconds));
        Assert.Equal(tokens, plan.SuffixTokens);
        Assert.Equal(AudioSuffixDerivedFigures.For(Config(conditioning: seconds)).SuffixSteps, plan.SuffixTokens);
    }

    [Fact]
    public void Cpu_defaults_to_float32_without_recomputation()
    {
        var plan = TrainingPlan.For(Config());
        Assert.Equal(ScalarType.Float32, plan.Run.ResolvedBaseDType);
        Assert.False(plan.StepOptions.RecomputeActivations);
        var forced = TrainingPlan.For(Config(), new TrainingRunOptions { RecomputeActivations = true });
        Assert.True(forced.StepOptions.RecomputeActivations);
    }

    [Fact]
    public void The_fingerprint_follows_what_changes_the_numbers_only()
    {
        var a = TrainingPlan.For(Config(), new TrainingRunOptions { Seed = 1, CheckpointInterval = 10 });
        var sameNumbers = TrainingPlan.For(Config(), new TrainingRunOptions { Seed = 1, CheckpointInterval = 99, KeepCheckpoints = 7 });
        var otherSeed = TrainingPlan.For(Config(), new TrainingRunOptions { Seed = 2 });
        var otherRate = TrainingPlan.For(Config(lr: 1e-4), new TrainingRunOptions { Seed = 1 });
        Assert.Equal(a.Fingerprint("d"), sameNumbers.Fingerprint("d"));
        Assert.NotEqual(a.Fingerprint("d"), otherSeed.Fingerprint("d"));
        Assert.NotEqual(a.Fingerprint("d"), otherRate.Fingerprint("d"));
        Assert.NotEqual(a.Fingerprint("d"), a.Fingerprint("other data"));
    }

    [Fact]
    public void Bad_run_options_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TrainingPlan.For(Config(), new TrainingRunOptions { KeepCheckpoints = 0 }));
        Assert.Equal(nameof(TrainingRunOptions.KeepCheckpoints), e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => TrainingPlan.For(Config(), new TrainingRunOptions { LoraDType = ScalarType.Float16 }));
        Assert.Equal(nameof(TrainingRunOptions.LoraDType), e.ParamName);
    }

    [Fact]
    public void Data_order_is_a_seeded_permutation_per_epoch()
    {
        var e0 = DataOrder.ForEpoch(7, 0, 10);
        var e1 = DataOrder.ForEpoch(7, 1, 10);
        Assert.Equal(Enumerable.Range(0, 10), e0.Order());
        Assert.Equal(Enumerable.Range(0, 10), e1.Order());
        Assert.NotEqual(e0, e1);
        Assert.Equal(e0, DataOrder.ForEpoch(7, 0, 10));
        Assert.NotEqual(e0, DataOrder.ForEpoch(8, 0, 10));
        Assert.Equal(e1[3], DataOrder.At(7, 13, 10));
    }
}
