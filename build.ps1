#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates the LtxTrainer module.
.DESCRIPTION
    Tasks (run in the order given; dependencies run first):
      Build    dotnet build of the solution.
      Package  a self-contained module folder under out/LtxTrainer (manifest, cmdlet DLL and its
               dependencies with TorchSharp's native libraries, format/type files, generated help).
      Test     xunit (engine) and Pester (the packaged module); prints "N passed, N failed[, N skipped]"
               per runner and a combined total, and exits non-zero on any failure.
      Demo     the main job: imports the packaged module in a fresh pwsh and runs it end to end on real
               recordings, with a small random LTX-2.3 demo model (New-LtxDemoModel) unless -ModelPath
               and -TextEncoderPath name the real weights.
    Run with the local tool: dotnet tool restore; dotnet pwsh ./build.ps1 Test
.PARAMETER TorchBackend
    cpu (default), cuda-linux or cuda-windows: which TorchSharp native bundle the build references.
.PARAMETER ModelPath
    Demo only: a real LTX-2.3 unified checkpoint to run the main job with, instead of the demo model.
.PARAMETER TextEncoderPath
    Demo only: the real Gemma 3 folder that goes with -ModelPath.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [ValidateSet('cpu', 'cuda-linux', 'cuda-windows')]
    [string] $TorchBackend = 'cpu',

    [string] $ModelPath,

    [string] $TextEncoderPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# Plain text in logs (CI, redirected output); child pwsh processes inherit NO_COLOR.
if ([Console]::IsOutputRedirected -or $env:CI) { $env:NO_COLOR = '1'; $PSStyle.OutputRendering = 'PlainText' }

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'LtxTrainer'
$TestResultsDir = Join-Path $OutDir 'test-results'
$DotnetProps = @("-p:TorchBackend=$TorchBackend", '-nologo', '-v:minimal')

Import-Module (Join-Path $Root 'tools/LtxBuild.psm1') -Force

function Invoke-Build {
    Invoke-Native dotnet build (Join-Path $Root 'LtxTrainer.sln') -c $Configuration @DotnetProps
}

function Invoke-Package {
    Write-Host "Packaging the module into $ModuleDir"
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    # Hard links keep the ~500 MB native bundle from being copied again; the TorchSharp fix-up after
    # Publish writes a new libLibTorchSharp.so, so the NuGet cache is never modified.
    Invoke-Native dotnet publish (Join-Path $Root 'src/LtxTrainer.Cmdlets/LtxTrainer.Cmdlets.csproj') `
        -c $Configuration -o $ModuleDir '-p:CreateHardLinksForPublishFilesIfPossible=true' @DotnetProps
    Copy-Item (Join-Path $Root 'LtxTrainer.psd1') $ModuleDir
    Copy-Item (Join-Path $Root 'module/*.ps1xml') $ModuleDir
    # Symbols and the compiler's XML docs are not needed to run the module.
    Get-ChildItem $ModuleDir -File | Where-Object { $_.Extension -in '.pdb', '.xml' } | Remove-Item

    # Help is generated from docs/ by a fresh pwsh that imports the package just built (the cmdlet
    # metadata gives syntax and parameter facts; the markdown gives the words).
    Invoke-Pwsh (Join-Path $Root 'tools/Help/New-LtxHelp.ps1') `
        -ModulePath (Join-Path $ModuleDir 'LtxTrainer.psd1') -DocsPath (Join-Path $Root 'docs') -OutputPath $ModuleDir
}

function Invoke-Test {
    $null = New-Item -ItemType Directory -Force $TestResultsDir
    Install-TestPrerequisite -Root $Root

    # xunit: results from the trx file, which counts every test case once.
    $trx = Join-Path $TestResultsDir 'xunit.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    $xunitExit = Invoke-Native -NoThrow dotnet test (Join-Path $Root 'tests/LtxTrainer.Core.Tests') -c $Configuration `
        @DotnetProps --logger "trx;LogFileName=$trx" --results-directory $TestResultsDir
    $xunit = Read-TrxCount -Path $trx
    # A crashed test host leaves the counts short of a failure; never report that run as green.
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }
    Write-Host "xunit:"
    Write-Host (Format-TestCount $xunit)

    # Pester in a child pwsh, so the packaged module is imported into a clean process.
    $pesterJson = Join-Path $TestResultsDir 'pester.json'
    if (Test-Path $pesterJson) { Remove-Item $pesterJson }
    $null = Invoke-Pwsh -NoThrow (Join-Path $Root 'tools/Invoke-ModuleTests.ps1') `
        -ModulePath (Join-Path $ModuleDir 'LtxTrainer.psd1') -TestPath (Join-Path $Root 'tests/Module') -SummaryPath $pesterJson
    $pester = if (Test-Path $pesterJson) { Get-Content $pesterJson -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    Write-Host "Pester:"
    Write-Host (Format-TestCount $pester)

    $total = [pscustomobject]@{
        Passed  = $xunit.Passed + $pester.Passed
        Failed  = $xunit.Failed + $pester.Failed
        Skipped = $xunit.Skipped + $pester.Skipped
    }
    # The counts are the run's last lines (CI reads them there), so the failure is said before them and
    # the exit code carries it after.
    if ($total.Failed -gt 0) { Write-Host "build.ps1: $($total.Failed) test(s) failed." -ForegroundColor Red }
    Write-Host "Total:"
    Write-Host (Format-TestCount $total)
    if ($total.Failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    # The demo trains on the test recordings and writes its model with the real Gemma 3 tokenizer: both
    # are installed the way the tests get them.
    Install-TestPrerequisite -Root $Root
    $demoArgs = @(
        '-ModulePath', (Join-Path $ModuleDir 'LtxTrainer.psd1')
        '-WorkPath', (Join-Path $OutDir 'demo')
        '-SamplesFolder', (Join-Path $Root '.testdata/node_modules/supersonic-scsynth-samples/samples')
        '-TokenizerPath', (Get-Gemma3TokenizerPath -Root $Root)
    )
    if ($ModelPath) { $demoArgs += '-ModelPath', (Resolve-Path $ModelPath).Path }
    if ($TextEncoderPath) { $demoArgs += '-TextEncoderPath', (Resolve-Path $TextEncoderPath).Path }
    Invoke-Pwsh (Join-Path $Root 'tools/Invoke-Demo.ps1') @demoArgs
}

$order = @('Clean', 'Build', 'Package', 'Test', 'Demo')
$needed = [System.Collections.Generic.HashSet[string]]::new()
foreach ($t in $Task) {
    $null = $needed.Add($t)
    # Test and Demo run against the packaged module; Package publishes (which builds what it needs).
    if ($t -in 'Test', 'Demo') { $null = $needed.Add('Package') }
    if ($t -eq 'Test') { $null = $needed.Add('Build') }
}
try {
    foreach ($t in $order | Where-Object { $needed.Contains($_) }) {
        Write-Host "==> $t" -ForegroundColor Cyan
        switch ($t) {
            'Clean' { if (Test-Path $OutDir) { Remove-Item $OutDir -Recurse -Force } }
            'Build' { Invoke-Build }
            'Package' { Invoke-Package }
            'Test' { Invoke-Test }
            'Demo' { Invoke-Demo }
        }
    }
}
catch {
    Write-Host "build.ps1: $($_.Exception.Message)" -ForegroundColor Red
    exit 1
}
exit 0
