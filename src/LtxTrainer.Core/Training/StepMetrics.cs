using System.Text.Json.Serialization;

namespace LtxTrainer.Core.Training;

/// <summary>One line of the metrics file: a finished optimizer step.</summary>
/// <param name="Step">1-based step number.</param>
/// <param name="Loss">Masked flow-matching loss of the step.</param>
/// <param name="LearningRate">Rate the step used.</param>
/// <param name="Sigma">The σ drawn for the step's sample.</param>
/// <param name="GradNorm">Global gradient L2 norm before clipping.</param>
/// <param name="Seconds">Wall time of the step (data, forward, backward, update).</param>
public sealed record StepMetrics(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("lr")] double LearningRate,
    [property: JsonPropertyName("sigma")] double Sigma,
    [property: JsonPropertyName("grad_norm")] double GradNorm,
    [property: JsonPropertyName("seconds")] double Seconds);
