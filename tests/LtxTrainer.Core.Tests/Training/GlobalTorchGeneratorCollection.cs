namespace LtxTrainer.Core.Tests.Training;

/// <summary>
/// Tests that draw from (or reseed) torch's process-wide default generator on purpose. They run after the
/// parallel tests, one at a time; every other test passes its own <c>Generator</c>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchGeneratorCollection
{
    public const string Name = "Global torch generator";
}
