namespace LtxTrainer.Core.Sampling;

/// <summary>Progress of a lead-in generation: the phase and, while denoising, the step (1-based) out of the steps.</summary>
/// <param name="Phase">What is being done.</param>
/// <param name="Step">Denoising steps done (0 outside <see cref="LeadInPhase.Denoising"/> until the first step ends).</param>
/// <param name="Steps">Denoising steps in all.</param>
/// <param name="Message">A line for a log or a progress bar's status text.</param>
public sealed record LeadInProgress(LeadInPhase Phase, int Step, int Steps, string Message);
