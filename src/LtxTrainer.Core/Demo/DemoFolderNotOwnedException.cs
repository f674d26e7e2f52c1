namespace LtxTrainer.Core.Demo;

/// <summary>
/// The folder given for a demo model already holds files that the demo writer did not create (it has no
/// demo marker): nothing is written, so no user file is ever overwritten.
/// </summary>
public sealed class DemoFolderNotOwnedException(string folder, string marker)
    : IOException($"'{folder}' already holds files and was not made by New-LtxDemoModel (no '{Path.GetFileName(marker)}' in it); choose an empty or new folder.")
{
    /// <summary>The folder that was refused.</summary>
    public string Folder { get; } = folder;
}
