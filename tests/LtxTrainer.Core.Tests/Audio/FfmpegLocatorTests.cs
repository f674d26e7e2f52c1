using LtxTrainer.Core.Audio;

namespace LtxTrainer.Core.Tests.Audio;

public sealed class FfmpegLocatorTests
{
    [Fact]
    public void AnExplicitPathWinsAndAMissingOneFindsNothing()
    {
        var real = FfmpegLocator.Find();
        Assert.NotNull(real); // the test machine has ffmpeg (tests/Install-TestPrerequisites.sh)
        Assert.Equal(real, FfmpegLocator.Find(real));
        Assert.Null(FfmpegLocator.Find(Path.Combine(Path.GetTempPath(), "no-such-ffmpeg")));
    }

    [Fact]
    public void TheEnvironmentVariableIsUsedBeforeThePath()
    {
        var real = FfmpegLocator.Find()!;
        var copyDir = Directory.CreateTempSubdirectory("ltxt-ffmpeg-").FullName;
        var before = Environment.GetEnvironmentVariable(FfmpegLocator.EnvironmentVariable);
        try
        {
            // A link, not a copy: only its path matters here.
            var alias = Path.Combine(copyDir, "ffmpeg");
            File.CreateSymbolicLink(alias, real);
            Environment.SetEnvironmentVariable(FfmpegLocator.EnvironmentVariable, alias);
            Assert.Equal(alias, FfmpegLocator.Find());
        }
        finally
        {
            Environment.SetEnvironmentVariable(FfmpegLocator.EnvironmentVariable, before);
            Directory.Delete(copyDir, recursive: true);
        }
    }
}
