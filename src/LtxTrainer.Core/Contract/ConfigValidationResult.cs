namespace LtxTrainer.Core.Contract;

/// <summary>
/// The contract's answer to a request: valid or not, every error and warning, and for a valid request
/// the normalized config and the figures derived from it (both null when invalid).
/// </summary>
public sealed record ConfigValidationResult(
    IReadOnlyList<ConfigFieldError> Errors,
    IReadOnlyList<ConfigFieldWarning> Warnings,
    AudioSuffixConfig? Config,
    AudioSuffixDerivedFigures? Derived)
{
    public bool IsValid => Errors.Count == 0 && Config is not null;

    /// <summary>The config, or an <see cref="InvalidRequestException"/> carrying every error.</summary>
    public AudioSuffixConfig EnsureValid() =>
        IsValid ? Config! : throw new InvalidRequestException(Errors);
}
