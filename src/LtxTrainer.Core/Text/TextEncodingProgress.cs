namespace LtxTrainer.Core.Text;

/// <summary>Progress of caption encoding; <see cref="Warning"/> is set for notices such as truncation.</summary>
public sealed record TextEncodingProgress(int Completed, int Total, string? Warning = null);
