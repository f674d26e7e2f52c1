namespace LtxTrainer.Core.Tests.Ingest;

/// <summary>
/// A temporary sandbox: <see cref="Work"/> is the work folder and <see cref="Outside"/> its sibling, which
/// must stay empty whatever an archive tries (the "nothing written outside the work folder" check).
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Directory.CreateTempSubdirectory("ltxt-ingest-").FullName;
        Work = Directory.CreateDirectory(Path.Combine(Root, "sandbox", "work")).FullName;
        Outside = Path.Combine(Root, "sandbox");
        Inputs = Directory.CreateDirectory(Path.Combine(Root, "inputs")).FullName;
    }

    public string Root { get; }
    public string Work { get; }
    public string Outside { get; }
    public string Inputs { get; }

    public string Input(string name) => Path.Combine(Inputs, name);

    /// <summary>Every file under the sandbox that is not inside the work folder.</summary>
    public IReadOnlyList<string> FilesOutsideWork() =>
        Directory.GetFileSystemEntries(Outside, "*", SearchOption.AllDirectories)
            .Where(p => p != Work && !p.StartsWith(Work + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
