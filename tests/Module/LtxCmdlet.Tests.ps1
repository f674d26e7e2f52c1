# The cmdlet base class (LtxCmdlet) and error map, exercised through probe cmdlets compiled here
# against the packaged module's assembly, the way later cmdlets derive from it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $cmdletsDll = Join-Path $LtxModule.ModuleBase 'LtxTrainer.Cmdlets.dll'
    $coreDll = Join-Path $LtxModule.ModuleBase 'LtxTrainer.Core.dll'
    # The probe assembly is built in memory, so nothing resolves its engine reference from the module
    # folder: load the engine first (the same file the module's cmdlets load).
    Add-Type -Path $coreDll
    if (-not ('LtxProbe.InvokeLtxProbeCommand' -as [type])) {
        Add-Type -ReferencedAssemblies $cmdletsDll, $coreDll, ([System.Management.Automation.PSCmdlet].Assembly.Location) -TypeDefinition @'
using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using LtxTrainer.Cmdlets.Infrastructure;
using LtxTrainer.Core.Checkpoints;

namespace LtxProbe
{
    [Cmdlet(VerbsLifecycle.Invoke, "LtxProbe")]
    public sealed class InvokeLtxProbeCommand : LtxCmdlet
    {
        public static volatile bool WorkerSawCancellation;
        public static volatile bool WorkerStarted;

        [Parameter(Mandatory = true, Position = 0)]
        public string Mode { get; set; } = "";

        protected override void ProcessRecordCore()
        {
            int pipelineThread = Environment.CurrentManagedThreadId;
            switch (Mode)
            {
                case "Progress":
                    RunOnWorker(ctx =>
                    {
                        var progress = ctx.Progress<int>(7, "Probing", i => ("item " + i, i * 25));
                        for (int i = 1; i <= 4; i++)
                        {
                            progress.Report(i);
                            ctx.WriteObject(Environment.CurrentManagedThreadId != pipelineThread);
                        }
                        ctx.WriteVerbose("verbose from the worker");
                        ctx.WriteWarning("warning from the worker");
                    });
                    break;
                case "Result":
                    WriteObject(RunOnWorker(ctx => 6 * 7));
                    break;
                case "Wait":
                    WorkerSawCancellation = false;
                    WorkerStarted = false;
                    RunOnWorker(ctx =>
                    {
                        WorkerStarted = true;
                        try { Task.Delay(Timeout.Infinite, ctx.CancellationToken).Wait(); }
                        catch (AggregateException) { WorkerSawCancellation = ctx.CancellationToken.IsCancellationRequested; throw new OperationCanceledException(ctx.CancellationToken); }
                    });
                    break;
                case "Checkpoint":
                    RunOnWorker(ctx => { throw new CheckpointFormatException("tensor missing", "model.safetensors", "a.b"); });
                    break;
                case "Argument":
                    throw new ArgumentException("must be positive", "steps");
                case "Missing":
                    throw new System.IO.FileNotFoundException("no such clip", "clip.wav");
                case "Canceled":
                    throw new OperationCanceledException("stopped by the engine");
                case "Other":
                    throw new ApplicationException("surprise");
            }
        }
    }
}
'@
    }
    Import-Module -Assembly ([LtxProbe.InvokeLtxProbeCommand].Assembly) -Force

    function Invoke-InRunspace([scriptblock] $Script) {
        # A separate PowerShell instance, so its Progress stream can be read (the host's cannot).
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModuleManifest'; Import-Module -Assembly ([LtxProbe.InvokeLtxProbeCommand].Assembly); $Script")
            $output = $ps.Invoke()
            [pscustomobject]@{ Output = $output; Streams = $ps.Streams }
        }
        finally { $ps.Dispose() }
    }
}

Describe 'LtxCmdlet.RunOnWorker' {
    It 'runs the work off the pipeline thread and writes its output there, in order' {
        $output = Invoke-LtxProbe Progress -WarningAction SilentlyContinue
        $output | Should -Be @($true, $true, $true, $true)
    }

    It 'pumps progress, verbose and warnings from the worker, and completes the progress bar' {
        $run = Invoke-InRunspace { Invoke-LtxProbe Progress -Verbose }
        $progress = @($run.Streams.Progress | Where-Object ActivityId -EQ 7)
        $progress.Count | Should -Be 5
        $progress[0..3].PercentComplete | Should -Be @(25, 50, 75, 100)
        $progress[1].StatusDescription | Should -Be 'item 2'
        $progress[4].RecordType | Should -Be 'Completed'
        $run.Streams.Verbose.Message | Should -Contain 'verbose from the worker'
        $run.Streams.Warning.Message | Should -Contain 'warning from the worker'
    }

    It 'returns the work''s result' {
        Invoke-LtxProbe Result | Should -Be 42
    }

    It 'cancels the token when the pipeline is stopped' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module -Assembly ([LtxProbe.InvokeLtxProbeCommand].Assembly); Invoke-LtxProbe Wait")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not [LtxProbe.InvokeLtxProbeCommand]::WorkerStarted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            [LtxProbe.InvokeLtxProbeCommand]::WorkerStarted | Should -BeTrue
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            [LtxProbe.InvokeLtxProbeCommand]::WorkerSawCancellation | Should -BeTrue
            $ps.Streams.Error.Count | Should -Be 0
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Engine exceptions become ErrorRecords' {
    It '<Mode> -> <ErrorId> / <Category>, target <Target>' -ForEach @(
        @{ Mode = 'Checkpoint'; ErrorId = 'CheckpointFormat'; Category = 'InvalidData'; Target = 'model.safetensors' }
        @{ Mode = 'Argument'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Target = 'steps' }
        @{ Mode = 'Missing'; ErrorId = 'FileNotFound'; Category = 'ObjectNotFound'; Target = 'clip.wav' }
        @{ Mode = 'Canceled'; ErrorId = 'OperationStopped'; Category = 'OperationStopped'; Target = $null }
        @{ Mode = 'Other'; ErrorId = 'UnexpectedError'; Category = 'NotSpecified'; Target = $null }
    ) {
        Invoke-LtxProbe $Mode -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "$ErrorId,LtxProbe.InvokeLtxProbeCommand"
        $problems[0].CategoryInfo.Category | Should -Be $Category
        $problems[0].TargetObject | Should -Be $Target
    }

    It 'are non-terminating: the next pipeline input is still processed' {
        $results = 'Argument', 'Result' | ForEach-Object { Invoke-LtxProbe $_ -ErrorAction SilentlyContinue }
        $results | Should -Be 42
    }

    It 'maps the request exception to InvalidRequest naming the first field' {
        $errors = [System.Collections.Generic.List[LtxTrainer.Core.Contract.ConfigFieldError]]::new()
        $errors.Add([LtxTrainer.Core.Contract.ConfigFieldError]::new('rank', 24, 'rank must be one of 8, 16, 32, 64, 128; got 24.'))
        $record = [LtxTrainer.Cmdlets.Infrastructure.EngineErrorMap]::ToErrorRecord([LtxTrainer.Core.Contract.InvalidRequestException]::new($errors), $null)
        $record.FullyQualifiedErrorId | Should -Be 'InvalidRequest'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject | Should -Be 'rank'
    }

    It 'unwraps a worker''s AggregateException' {
        $inner = [System.IO.FileNotFoundException]::new('gone', 'a.zip')
        $record = [LtxTrainer.Cmdlets.Infrastructure.EngineErrorMap]::ToErrorRecord([AggregateException]::new($inner), $null)
        $record.Exception | Should -Be $inner
        $record.TargetObject | Should -Be 'a.zip'
    }
}
