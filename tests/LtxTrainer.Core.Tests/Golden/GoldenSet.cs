using System.Text.Json;
using LtxTrainer.Core.Checkpoints;
using TorchSharp;

namespace LtxTrainer.Core.Tests.Golden;

/// <summary>One golden folder (transformer, audio, text): its cases.safetensors and cases.json.</summary>
public sealed class GoldenSet : IDisposable
{
    private readonly SafetensorsFile _cases;

    public GoldenSet(string name)
    {
        Folder = GoldenRoot.File(name);
        _cases = SafetensorsFile.Open(System.IO.Path.Combine(Folder, "cases.safetensors"));
        Json = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(Folder, "cases.json")));
    }

    public string Folder { get; }

    public JsonDocument Json { get; }

    public string PathOf(string file) => System.IO.Path.Combine(Folder, file);

    public bool Has(string tensor) => _cases.TryGetInfo(tensor) is not null;

    /// <summary>A case tensor, as stored (float32 unless the case says otherwise).</summary>
    public torch.Tensor Tensor(string name) => _cases.Load(name);

    public void Dispose()
    {
        _cases.Dispose();
        Json.Dispose();
    }
}
