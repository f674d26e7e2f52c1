namespace LtxTrainer.Core.Contract;

/// <summary>
/// One reason a request is refused: the field (snake_case request name; list items as
/// <c>validation[1].audio_url</c>), the value given (null when missing), and a message naming the field
/// and the allowed values.
/// </summary>
public sealed record ConfigFieldError(string Field, object? Value, string Message)
{
    public override string ToString() => Message;
}
