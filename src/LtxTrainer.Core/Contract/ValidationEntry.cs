namespace LtxTrainer.Core.Contract;

/// <summary>
/// One validation preview: the clip whose closing <c>conditioning_seconds</c> become the clean suffix
/// (<paramref name="AudioUrl"/>: an http(s) URL or a local path, normalized to a full path), and the
/// caption to generate the lead-in from (<paramref name="Prompt"/>, "" when not given).
/// </summary>
public sealed record ValidationEntry(string Prompt, string AudioUrl);
