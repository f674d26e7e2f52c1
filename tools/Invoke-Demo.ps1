<#
.SYNOPSIS
    The main job, end to end, with the packaged module in a fresh process: the torch runtime check,
    then the request contract on a sample request.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

Write-Host '--- Torch runtime' -ForegroundColor Cyan
$environment = Get-LtxTrainerEnvironment -FailOnCheckMismatch
$environment | Format-List | Out-Host
