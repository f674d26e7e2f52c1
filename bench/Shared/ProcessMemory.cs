namespace LtxTrainer.Bench;

/// <summary>
/// Resident memory of this process from /proc/self/status (Linux), in bytes; -1 where the field is missing.
/// The one reader every benchmark links (<c>&lt;Compile Include="../Shared/ProcessMemory.cs" /&gt;</c>).
/// </summary>
internal static class ProcessMemory
{
    public static long CurrentRss => Read("VmRSS:");

    /// <summary>High-water mark of the resident set (VmHWM) since start or the last <see cref="ResetPeak"/>.</summary>
    public static long PeakRss => Read("VmHWM:");

    /// <summary>Writing "5" to clear_refs resets the kernel's VmHWM, so each phase gets its own peak.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0]) * 1024;
        return -1;
    }
}
