using System.Runtime.InteropServices;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Hands freed native heap memory back to the operating system. After a large model is disposed, glibc keeps
/// the freed blocks of libtorch's CPU allocations in its arenas (its mmap threshold has grown past most
/// tensor sizes by then), so the process would go on holding gigabytes it no longer uses. No-op elsewhere.
/// </summary>
internal static partial class NativeHeap
{
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to trim.
        }
    }
}
