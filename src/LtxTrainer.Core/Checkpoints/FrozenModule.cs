using TorchSharp;
using static TorchSharp.torch;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>
/// Puts an inference-only network (the audio VAE halves, the vocoder) on its device, fills it strictly from
/// the checkpoint and freezes it; the module is disposed when any step fails, so a bad checkpoint leaks nothing.
/// </summary>
public static class FrozenModule
{
    /// <param name="module">A freshly built module; disposed when loading fails.</param>
    /// <param name="source">The checkpoint to read from.</param>
    /// <param name="prefix">Key prefix of this module in the checkpoint.</param>
    /// <param name="description">Names the checkpoint in error messages.</param>
    /// <param name="device">Where the module lives.</param>
    /// <param name="validate">Checks on the loaded module that go beyond names and shapes (throws on failure).</param>
    public static T Load<T>(T module, ITensorSource source, string prefix, string description, Device device,
        Action<T>? validate = null) where T : nn.Module
    {
        try
        {
            module.to(device);
            ModuleWeightLoader.Load(module, source, prefix, description, device);
            validate?.Invoke(module);
            module.eval();
            foreach (var p in module.parameters()) p.requires_grad = false;
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }
}
