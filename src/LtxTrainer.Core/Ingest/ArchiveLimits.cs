namespace LtxTrainer.Core.Ingest;

/// <summary>
/// Limits that make a hostile or absurd archive fail fast instead of filling the disk.
/// Defaults are generous for real audio datasets (thousands of clips, tens of GB) and far below what a
/// zip bomb expands to.
/// </summary>
/// <param name="MaxEntries">Most entries (files and folders) an archive may list.</param>
/// <param name="MaxTotalBytes">Most bytes all extracted files together may expand to.</param>
/// <param name="MaxEntryBytes">Most bytes one file may expand to.</param>
/// <param name="MaxCompressionRatio">
/// Highest uncompressed/compressed ratio for an entry larger than <paramref name="RatioCheckMinBytes"/>.
/// Audio barely compresses (2-3×); even a long silent WAV stays under ~1000×, a bomb is far above.
/// </param>
/// <param name="RatioCheckMinBytes">Entries smaller than this are not ratio-checked (a tiny silent clip may compress 500×).</param>
public sealed record ArchiveLimits(
    int MaxEntries = 20_000,
    long MaxTotalBytes = 32L << 30,
    long MaxEntryBytes = 4L << 30,
    double MaxCompressionRatio = 1000,
    long RatioCheckMinBytes = 16L << 20)
{
    public static ArchiveLimits Default { get; } = new();
}
