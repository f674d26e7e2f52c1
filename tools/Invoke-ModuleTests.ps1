<#
.SYNOPSIS
    Runs the Pester tests in tests/Module against a packaged module and writes the counts as JSON.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $PSScriptRoot 'LtxBuild.psm1') -Force
Import-Pester -Root $root

# The tests import the module from here (see tests/Module/TestSetup.ps1).
$env:LTXTRAINER_MODULE = (Resolve-Path $ModulePath).Path

$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath -Parent) 'pester.xml'
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$summary = [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount }
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath
if ($failed -gt 0) { exit 1 }
exit 0
