using System.Globalization;
using System.Management.Automation;
using LtxTrainer.Core.Training;

namespace LtxTrainer.Cmdlets.Training;

/// <summary>Turns the engine's training progress into Write-Progress records: phase, step, smoothed loss, rate, speed and ETA.</summary>
internal static class TrainingProgressRecords
{
    public static ProgressRecord ToRecord(int activityId, TrainingProgress p)
    {
        string status = p.Phase == TrainingPhase.Training && p.Step > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"Step {p.Step}/{p.TotalSteps}  loss {p.SmoothedLoss:0.0000}  lr {p.LearningRate:0.###e+0}  {p.StepsPerSecond:0.00} steps/s")
            : p.Message;
        var record = new ProgressRecord(activityId, $"Training audio-extend LoRA: {p.Phase}", string.IsNullOrEmpty(status) ? p.Phase.ToString() : status)
        {
            PercentComplete = p.Phase == TrainingPhase.Training && p.TotalSteps > 0
                ? Math.Clamp(100 * p.Step / p.TotalSteps, 0, 100)
                : p.Fraction is { } f ? Math.Clamp((int)(100 * f), 0, 100) : -1,
        };
        if (p.Eta is { } eta && eta > TimeSpan.Zero && eta < TimeSpan.FromDays(30)) record.SecondsRemaining = (int)eta.TotalSeconds;
        if (p.Phase == TrainingPhase.Done) record.RecordType = ProgressRecordType.Completed;
        return record;
    }
}
