namespace LtxTrainer.Core.Training;

/// <summary>
/// Learning rate per optimizer step, in closed form, for the schedules ltx-trainer offers
/// (ltx_trainer/trainer.py).
/// Step 0 is the first optimizer step; the scheduler is stepped after each optimizer step, as upstream.
/// </summary>
public sealed record LearningRateSchedule(LearningRateScheduleKind Kind, double BaseLearningRate, int TotalSteps)
{
    /// <summary>The rate used by optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step));
        double lr = BaseLearningRate;
        int total = Math.Max(1, TotalSteps);
        switch (Kind)
        {
            case LearningRateScheduleKind.Constant:
                return lr;
            case LearningRateScheduleKind.Linear:
            {
                // torch LinearLR(start 1.0, end 0.1, total_iters = steps): factor moves linearly, then stays.
                double f = 1.0 + (0.1 - 1.0) * Math.Min(step, total) / total;
                return lr * f;
            }
            case LearningRateScheduleKind.Cosine:
                return lr * (1 + Math.Cos(Math.PI * Math.Min(step, total) / total)) / 2;
            case LearningRateScheduleKind.CosineWithRestarts:
            {
                const double etaMin = 5e-5;
                int t0 = Math.Max(1, total / 4);
                int tCur = step % t0;
                return etaMin + (lr - etaMin) * (1 + Math.Cos(Math.PI * tCur / t0)) / 2;
            }
            case LearningRateScheduleKind.Polynomial:
                return lr * (1.0 - (double)Math.Min(step, total) / total);
            case LearningRateScheduleKind.Step:
                return lr * Math.Pow(0.1, step / Math.Max(1, total / 2));
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null);
        }
    }
}
