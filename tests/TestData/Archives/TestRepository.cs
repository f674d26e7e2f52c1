namespace LtxTrainer.TestData;

/// <summary>Finds the repository root (the folder holding LtxTrainer.sln) from the running test binaries.</summary>
public static class TestRepository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LtxTrainer.sln"))) return dir.FullName;
        throw new InvalidOperationException("LtxTrainer.sln not found above " + AppContext.BaseDirectory);
    }
}
