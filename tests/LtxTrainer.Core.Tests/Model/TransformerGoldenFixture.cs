using LtxTrainer.Core.Model.Transformer;

namespace LtxTrainer.Core.Tests.Model;

/// <summary>Loads the tiny golden checkpoint once per test class.</summary>
public sealed class TransformerGoldenFixture : IDisposable
{
    public TransformerGoldenFixture()
    {
        Golden = new TransformerGolden();
        Model = Golden.LoadModel();
    }

    public TransformerGolden Golden { get; }
    public AudioTransformer Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        Golden.Dispose();
    }
}
