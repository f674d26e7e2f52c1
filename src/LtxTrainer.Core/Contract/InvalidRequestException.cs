namespace LtxTrainer.Core.Contract;

/// <summary>
/// Thrown by engine entry points handed a request the contract refuses. Carries every field error, so a
/// caller can report them all at once (like an HTTP 422 body).
/// </summary>
public sealed class InvalidRequestException : ArgumentException
{
    public InvalidRequestException(IReadOnlyList<ConfigFieldError> errors)
        : base(BuildMessage(errors), errors.Count > 0 ? errors[0].Field : null)
    {
        Errors = errors;
    }

    /// <summary>The summary alone (ArgumentException would append "(Parameter 'rank')").</summary>
    public override string Message => BuildMessage(Errors);

    /// <summary>Every reason the request was refused.</summary>
    public IReadOnlyList<ConfigFieldError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<ConfigFieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count switch
        {
            0 => "The request is invalid.",
            1 => "The request is invalid: " + errors[0].Message,
            _ => $"The request is invalid ({errors.Count} errors): " + string.Join(" ", errors.Select(e => e.Message)),
        };
    }
}
