using LtxTrainer.Core.Training;

namespace LtxTrainer.Core.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Theory]
    [InlineData(LearningRateScheduleKind.Linear, 0, 2e-4)]
    [InlineData(LearningRateScheduleKind.Linear, 50, 1.1e-4)]
    [InlineData(LearningRateScheduleKind.Linear, 100, 2e-5)]
    [InlineData(LearningRateScheduleKind.Linear, 150, 2e-5)]
    [InlineData(LearningRateScheduleKind.Constant, 70, 2e-4)]
    [InlineData(LearningRateScheduleKind.Cosine, 50, 1e-4)]
    [InlineData(LearningRateScheduleKind.Cosine, 100, 0)]
    [InlineData(LearningRateScheduleKind.Polynomial, 25, 1.5e-4)]
    [InlineData(LearningRateScheduleKind.Step, 49, 2e-4)]
    [InlineData(LearningRateScheduleKind.Step, 50, 2e-5)]
    [InlineData(LearningRateScheduleKind.CosineWithRestarts, 25, 2e-4)]
    public void Rates_follow_the_torch_schedulers(LearningRateScheduleKind kind, int step, double expected)
    {
        var schedule = new LearningRateSchedule(kind, 2e-4, 100);
        Assert.Equal(expected, schedule.At(step), 12);
    }
}
