namespace LtxTrainer.Core.Model;

/// <summary>Loading progress of an <see cref="AudioModelSet"/>: the part being loaded and how many of the requested parts are done.</summary>
/// <param name="Part">The part now loading (or the last one loaded when <paramref name="Completed"/> equals <paramref name="Total"/>).</param>
/// <param name="Completed">Parts loaded so far.</param>
/// <param name="Total">Parts requested.</param>
public sealed record ModelLoadProgress(AudioModelParts Part, int Completed, int Total);
