namespace LtxTrainer.Core.Sampling;

/// <summary>A LoRA file none of whose modules is a LoRA-capable layer of the loaded transformer (wrong model or wrong key layout).</summary>
public sealed class LoraMismatchException : Exception
{
    public LoraMismatchException(string path, IReadOnlyList<string> unmatchedModules)
        : base($"LoRA '{path}' matches no layer of the audio transformer: none of its {unmatchedModules.Count} modules " +
               $"({string.Join(", ", unmatchedModules.Take(5))}{(unmatchedModules.Count > 5 ? ", ..." : "")}) exists in the model. " +
               "It was trained for another model or uses another key layout.")
    {
        Path = path;
        UnmatchedModules = unmatchedModules;
    }

    /// <summary>The LoRA file.</summary>
    public string Path { get; }

    /// <summary>Every module name of the file (all unmatched).</summary>
    public IReadOnlyList<string> UnmatchedModules { get; }
}
