namespace LtxTrainer.Core.Tests.Golden;

/// <summary>
/// Where the official test vectors live: <c>LTXTRAINER_GOLDEN</c>, else <c>../shared/golden</c> beside
/// the repository. Tests must pass unchanged against any folder with the same structure.
/// </summary>
public static class GoldenRoot
{
    public static string Path
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("LTXTRAINER_GOLDEN");
            if (!string.IsNullOrWhiteSpace(env)) return System.IO.Path.GetFullPath(env);
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared", "golden"));
        }
    }

    /// <summary>The repository root (the folder holding LtxTrainer.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "LtxTrainer.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
        }
    }

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
