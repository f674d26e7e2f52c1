namespace LtxTrainer.Core.Demo;

/// <summary>Progress of writing the demo model: which of the steps is under way.</summary>
/// <param name="Step">Steps finished so far.</param>
/// <param name="Steps">All steps.</param>
/// <param name="Activity">What is being written now.</param>
public sealed record DemoModelProgress(int Step, int Steps, string Activity);
