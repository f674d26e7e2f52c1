using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Dataset;

/// <summary>A clip left out of the dataset and why.</summary>
/// <param name="Name">Clip name.</param>
/// <param name="SourceEntry">The audio entry inside the archive.</param>
/// <param name="Kind">Stable reason code.</param>
/// <param name="Reason">Human-readable reason, e.g. "4.21 s &lt; 5.00 s".</param>
public sealed record SkippedClip(string Name, string SourceEntry, ClipSkipKind Kind, string Reason);
