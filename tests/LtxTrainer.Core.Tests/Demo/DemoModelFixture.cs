using LtxTrainer.Core.Demo;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Demo;

/// <summary>One demo model (default sizes, seed 42, the real Gemma 3 tokenizer) written for a test class.</summary>
public sealed class DemoModelFixture : IDisposable
{
    public DemoModelFixture()
    {
        Folder = Directory.CreateTempSubdirectory("ltxt-demo-").FullName;
        Model = DemoModelWriter.Write(Path.Combine(Folder, "model"), RealTokenizer.Gemma3Json, seed: 42);
    }

    public string Folder { get; }

    public DemoModelInfo Model { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
