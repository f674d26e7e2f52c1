using System.Management.Automation;
using LtxTrainer.Core.Checkpoints;

namespace LtxTrainer.Cmdlets.Infrastructure;

/// <summary>
/// Turns engine exceptions into ErrorRecords with a stable ErrorId, a category and a target object, so
/// scripts can branch on <c>$_.FullyQualifiedErrorId</c> / <c>$_.CategoryInfo.Category</c>.
/// Rules are tried in order, the first whose type matches wins: put specific types before their bases.
/// A new engine exception type needs one line in <see cref="Rules"/>.
/// </summary>
public static class EngineErrorMap
{
    /// <summary>How one exception type maps: ErrorId, category and (optionally) the target it names.</summary>
    public sealed record Rule(Type ExceptionType, string ErrorId, ErrorCategory Category, Func<Exception, object?>? Target = null);

    /// <summary>The ErrorId for exceptions no rule knows.</summary>
    public const string UnexpectedErrorId = "UnexpectedError";

    private static readonly Rule[] Rules =
    [
        new(typeof(CheckpointFormatException), "CheckpointFormat", ErrorCategory.InvalidData,
            e => ((CheckpointFormatException)e).File),
        new(typeof(Core.Contract.InvalidRequestException), "InvalidRequest", ErrorCategory.InvalidArgument,
            e => ((Core.Contract.InvalidRequestException)e).Errors.FirstOrDefault()?.Field),
        new(typeof(Core.Ingest.UnsafeArchiveException), "UnsafeArchive", ErrorCategory.SecurityError,
            e => ((Core.Ingest.UnsafeArchiveException)e).Entry ?? ((Core.Ingest.UnsafeArchiveException)e).Archive),
        new(typeof(Core.Ingest.NotAZipArchiveException), "InvalidArchive", ErrorCategory.InvalidData,
            e => ((Core.Ingest.NotAZipArchiveException)e).Archive),
        new(typeof(Core.Dataset.WorkFolderConflictException), "WorkFolderConflict", ErrorCategory.ResourceExists,
            e => ((Core.Dataset.WorkFolderConflictException)e).Path),
        new(typeof(Core.Outputs.DestinationExistsException), "DestinationExists", ErrorCategory.ResourceExists,
            e => ((Core.Outputs.DestinationExistsException)e).Path),
        new(typeof(Core.Ingest.DuplicateFileNamesException), "DuplicateFileNames", ErrorCategory.InvalidData,
            e => ((Core.Ingest.DuplicateFileNamesException)e).Duplicates.Keys.ToArray()),
        new(typeof(Core.Ingest.ArchiveDownloadException), "DownloadFailed", ErrorCategory.ConnectionError,
            e => ((Core.Ingest.ArchiveDownloadException)e).Uri),
        new(typeof(Core.Audio.FfmpegNotFoundException), "FfmpegNotFound", ErrorCategory.ObjectNotFound,
            e => ((Core.Audio.FfmpegNotFoundException)e).Files.ToArray()),
        new(typeof(Core.Audio.AudioDecodeException), "AudioDecodeFailed", ErrorCategory.InvalidData,
            e => ((Core.Audio.AudioDecodeException)e).File),
        new(typeof(Core.Dataset.NoUsableClipsException), "NoUsableClips", ErrorCategory.InvalidData,
            e => ((Core.Dataset.NoUsableClipsException)e).Skipped.ToArray()),
        new(typeof(Core.Training.TrainingOutputExistsException), "TrainingOutputExists", ErrorCategory.ResourceExists,
            e => ((Core.Training.TrainingOutputExistsException)e).Path),
        new(typeof(Core.Training.TrainingDivergedException), "TrainingDiverged", ErrorCategory.InvalidResult,
            e => ((Core.Training.TrainingDivergedException)e).LastCheckpoint),
        new(typeof(Core.Training.TrainingCheckpointException), "TrainingCheckpoint", ErrorCategory.WriteError,
            e => ((Core.Training.TrainingCheckpointException)e).Target),
        new(typeof(Core.Dataset.DatasetManifestException), "DatasetManifest", ErrorCategory.InvalidData,
            e => ((Core.Dataset.DatasetManifestException)e).Path),
        new(typeof(Core.Demo.DemoFolderNotOwnedException), "DemoFolderNotOwned", ErrorCategory.ResourceExists,
            e => ((Core.Demo.DemoFolderNotOwnedException)e).Folder),
        new(typeof(Core.Sampling.ClosingClipException), "UnusableClosingClip", ErrorCategory.InvalidData,
            e => ((Core.Sampling.ClosingClipException)e).Source),
        new(typeof(Core.Sampling.LoraMismatchException), "LoraMatchesNothing", ErrorCategory.InvalidData,
            e => ((Core.Sampling.LoraMismatchException)e).Path),
        new(typeof(Core.Sampling.LeadInRequestException), "InvalidLeadInRequest", ErrorCategory.InvalidArgument,
            e => ((Core.Sampling.LeadInRequestException)e).Setting),
        new(typeof(FileNotFoundException), "FileNotFound", ErrorCategory.ObjectNotFound,
            e => ((FileNotFoundException)e).FileName),
        new(typeof(DirectoryNotFoundException), "DirectoryNotFound", ErrorCategory.ObjectNotFound),
        new(typeof(UnauthorizedAccessException), "AccessDenied", ErrorCategory.PermissionDenied),
        new(typeof(OperationCanceledException), "OperationStopped", ErrorCategory.OperationStopped),
        new(typeof(TimeoutException), "OperationTimeout", ErrorCategory.OperationTimeout),
        new(typeof(ArgumentException), "InvalidArgument", ErrorCategory.InvalidArgument,
            e => ((ArgumentException)e).ParamName),
        new(typeof(FormatException), "InvalidFormat", ErrorCategory.InvalidData),
        new(typeof(InvalidDataException), "InvalidData", ErrorCategory.InvalidData),
        new(typeof(System.Text.Json.JsonException), "InvalidJson", ErrorCategory.ParserError,
            e => ((System.Text.Json.JsonException)e).Path),
        new(typeof(NotSupportedException), "NotSupported", ErrorCategory.NotImplemented),
        new(typeof(NotImplementedException), "NotImplemented", ErrorCategory.NotImplemented),
        new(typeof(HttpRequestException), "DownloadFailed", ErrorCategory.ConnectionError),
        new(typeof(OutOfMemoryException), "OutOfMemory", ErrorCategory.ResourceUnavailable),
        new(typeof(IOException), "IOError", ErrorCategory.ReadError),
        new(typeof(InvalidOperationException), "InvalidOperation", ErrorCategory.InvalidOperation),
    ];

    /// <summary>
    /// The ErrorRecord for <paramref name="exception"/>. The target is the one the exception names
    /// (file, parameter, field) when it names one, else <paramref name="fallbackTarget"/>.
    /// </summary>
    public static ErrorRecord ToErrorRecord(Exception exception, object? fallbackTarget = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var ex = Unwrap(exception);
        var rule = Find(ex.GetType());
        object? target = rule?.Target?.Invoke(ex) ?? fallbackTarget;
        return new ErrorRecord(ex, rule?.ErrorId ?? UnexpectedErrorId, rule?.Category ?? ErrorCategory.NotSpecified, target);
    }

    /// <summary>The rule that applies to <paramref name="exceptionType"/>, or null when none does.</summary>
    public static Rule? Find(Type exceptionType) =>
        Rules.FirstOrDefault(r => r.ExceptionType.IsAssignableFrom(exceptionType));

    /// <summary>Worker failures arrive wrapped; report the cause the user can act on.</summary>
    private static Exception Unwrap(Exception exception)
    {
        var ex = exception;
        while (true)
        {
            if (ex is AggregateException { InnerExceptions.Count: 1 } agg) ex = agg.InnerExceptions[0];
            else if (ex is System.Reflection.TargetInvocationException { InnerException: { } inner }) ex = inner;
            else return ex;
        }
    }
}
