namespace LtxTrainer.Bench.AudioModel;

/// <summary>Resident-set figures of this process from /proc/self/status (Linux).</summary>
internal static class ProcessMemory
{
    public static long Rss() => Status("VmRSS:");

    /// <summary>High-water mark of the resident set since start or the last <see cref="ResetPeak"/>.</summary>
    public static long Peak() => Status("VmHWM:");

    /// <summary>Writing "5" to clear_refs resets the kernel's VmHWM so each phase gets its own peak.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0]) * 1024;
        return -1;
    }
}
