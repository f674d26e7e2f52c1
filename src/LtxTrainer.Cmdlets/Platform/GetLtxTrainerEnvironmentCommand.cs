using System.Management.Automation;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Platform;

namespace LtxTrainer.Cmdlets.Platform;

/// <summary>
/// Get-LtxTrainerEnvironment: reports the torch runtime (versions, backend, devices, threads) after
/// running a small computation on it, which proves the native libraries load from the module folder.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LtxTrainerEnvironment")]
[OutputType(typeof(TorchEnvironment))]
public sealed class GetLtxTrainerEnvironmentCommand : LtxCmdlet
{
    /// <summary>Write an error (and no object) when the check computation gives a wrong result.</summary>
    [Parameter]
    public SwitchParameter FailOnCheckMismatch { get; set; }

    protected override void ProcessRecordCore()
    {
        var environment = RunOnWorker(context =>
        {
            context.WriteVerbose($"Loading libtorch from {ModuleInitializer.ModuleDirectory}.");
            context.CancellationToken.ThrowIfCancellationRequested();
            return TorchEnvironmentProbe.Inspect();
        });

        WriteVerbose($"{environment.CheckComputation}: expected {environment.CheckExpected}, libtorch gave {environment.CheckActual}.");
        if (!environment.CheckPassed)
        {
            var error = new ErrorRecord(
                new InvalidOperationException(
                    $"The torch check computation gave {environment.CheckActual}, expected {environment.CheckExpected}: the native libraries loaded but compute wrongly."),
                "TorchCheckFailed", ErrorCategory.InvalidResult, environment);
            if (FailOnCheckMismatch) { WriteError(error); return; }
            WriteWarning(error.Exception.Message);
        }
        WriteObject(environment);
    }
}
