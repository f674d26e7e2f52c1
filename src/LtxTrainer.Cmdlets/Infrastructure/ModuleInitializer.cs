using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace LtxTrainer.Cmdlets.Infrastructure;

/// <summary>
/// Runs when the module is imported. pwsh ignores a binary module's deps.json, so TorchSharp's native
/// libraries (which the build places flat beside this DLL) would be searched for in pwsh's own folder.
/// This points TorchSharp's native imports at the module folder and pre-loads libtorch from there, so
/// the first torch call works whatever the current directory or LD_LIBRARY_PATH.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static int _initialized;

    /// <summary>The folder this assembly (and the natives beside it) was loaded from.</summary>
    public static string ModuleDirectory { get; } =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;

    /// <inheritdoc />
    public void OnImport()
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 1) return;

        // libtorch first: LibTorchSharp needs it, and TorchSharp probes for it by its bare name.
        foreach (var name in NativeNames("torch"))
            TryLoad(Path.Combine(ModuleDirectory, name));

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, ResolveFromModuleDirectory);
        }
        catch (InvalidOperationException)
        {
            // Someone (a host, or a second copy of this module) already set a resolver; keep theirs.
        }
    }

    private static IntPtr ResolveFromModuleDirectory(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        foreach (var candidate in NativeNames(libraryName))
        {
            var handle = TryLoad(Path.Combine(ModuleDirectory, candidate));
            if (handle != IntPtr.Zero) return handle;
        }
        return IntPtr.Zero; // fall back to the default probing
    }

    /// <summary>File names a native library can have on this OS ("torch" → libtorch.so, torch.dll, …).</summary>
    private static IEnumerable<string> NativeNames(string libraryName)
    {
        if (libraryName.EndsWith(".so", StringComparison.Ordinal) || libraryName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            || libraryName.EndsWith(".dylib", StringComparison.Ordinal))
        {
            yield return libraryName;
            yield break;
        }
        if (OperatingSystem.IsWindows())
        {
            yield return libraryName + ".dll";
        }
        else
        {
            string ext = OperatingSystem.IsMacOS() ? ".dylib" : ".so";
            yield return "lib" + libraryName + ext;
            yield return libraryName + ext;
        }
    }

    private static IntPtr TryLoad(string path) =>
        File.Exists(path) && NativeLibrary.TryLoad(path, out var handle) ? handle : IntPtr.Zero;
}
