<#
.SYNOPSIS
    The main job, end to end, with the packaged module in a fresh process: the torch runtime check,
    then a training request (a .zip of generated clips with captions) through the request contract, the
    dataset built from it (reopened from its manifest) and the debug archive of the preprocessed data.
    Training stages join here as they land.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Write-Step([string] $Text) { Write-Host "`n--- $Text" -ForegroundColor Cyan }

function New-ToneWav {
    <# A 16-bit stereo 44.1 kHz WAV of a decaying two-tone chord (no external tools needed). #>
    param([string] $Path, [double] $Seconds, [double] $Frequency)
    $rate = 44100
    $frames = [int]($Seconds * $rate)
    $stream = [System.IO.File]::Create($Path)
    $writer = [System.IO.BinaryWriter]::new($stream)
    try {
        $dataBytes = $frames * 4
        $writer.Write([Text.Encoding]::ASCII.GetBytes('RIFF')); $writer.Write([int](36 + $dataBytes))
        $writer.Write([Text.Encoding]::ASCII.GetBytes('WAVEfmt ')); $writer.Write([int]16)
        $writer.Write([int16]1); $writer.Write([int16]2); $writer.Write([int]$rate); $writer.Write([int]($rate * 4))
        $writer.Write([int16]4); $writer.Write([int16]16)
        $writer.Write([Text.Encoding]::ASCII.GetBytes('data')); $writer.Write([int]$dataBytes)
        for ($i = 0; $i -lt $frames; $i++) {
            $t = $i / $rate
            $envelope = [Math]::Exp(-1.5 * ($t % 1.0))
            $left = 0.4 * $envelope * [Math]::Sin(2 * [Math]::PI * $Frequency * $t)
            $right = 0.4 * $envelope * [Math]::Sin(2 * [Math]::PI * $Frequency * 1.5 * $t)
            $writer.Write([int16]($left * 32767)); $writer.Write([int16]($right * 32767))
        }
    }
    finally { $writer.Dispose() }
}

Write-Step 'Torch runtime (Get-LtxTrainerEnvironment)'
$environment = Get-LtxTrainerEnvironment -FailOnCheckMismatch
$environment | Format-List LibTorchVersion, TorchSharpVersion, Backend, Devices, Threads, CheckComputation, CheckPassed | Out-Host

Write-Step "Training data in $WorkPath"
if (Test-Path $WorkPath) { Remove-Item $WorkPath -Recurse -Force }
$clips = New-Item -ItemType Directory -Path (Join-Path $WorkPath 'clips')
$notes = @{ 'low-chord' = 110.0; 'mid-chord' = 220.0; 'high-chord' = 440.0 }
foreach ($name in $notes.Keys) {
    New-ToneWav -Path (Join-Path $clips "$name.wav") -Seconds 6 -Frequency $notes[$name]
    Set-Content -Path (Join-Path $clips "$name.txt") -Value "a decaying synth chord, $name"
}
$zip = Join-Path $WorkPath 'clips.zip'
Compress-Archive -Path (Join-Path $clips '*') -DestinationPath $zip
Get-ChildItem $clips | Format-Table Name, Length | Out-Host

Write-Step 'Request contract (Test-ExtendSuffixConfig)'
$request = [ordered]@{
    training_data_url      = $zip
    trigger_phrase         = 'synthchord'
    rank                   = 16
    number_of_steps        = 300
    conditioning_seconds   = 1.0
    audio_duration_seconds = 5.0
    validation             = @(@{ prompt = 'a decaying synth chord'; audio_url = (Join-Path $clips 'mid-chord.wav') })
}
$requestPath = Join-Path $WorkPath 'request.json'
$request | ConvertTo-Json -Depth 4 | Set-Content $requestPath
$check = Test-ExtendSuffixConfig -Path $requestPath
$check | Out-Host
if (-not $check.IsValid) { throw 'The demo request was refused.' }
$check.Derived | Format-List | Out-Host

Write-Step 'Dataset (New-AudioSuffixDataset, from the validated request on the pipeline)'
$datasetFolder = Join-Path $WorkPath 'dataset'
$dataset = $check.Config | New-AudioSuffixDataset -WorkFolder $datasetFolder
$dataset | Out-Host
$dataset.Clips | Out-Host
if ($dataset.KeptCount -ne $notes.Count) { throw "The demo dataset kept $($dataset.KeptCount) of $($notes.Count) clips." }

Write-Step 'Reopened from its manifest (Import-AudioSuffixDataset) and exported (Export-AudioSuffixDebugArchive)'
$archive = Import-AudioSuffixDataset -WorkFolder $datasetFolder |
    Export-AudioSuffixDebugArchive -DestinationPath (Join-Path $WorkPath 'debug-dataset.zip')
$archive | Format-Table Name, Length | Out-Host

Write-Step 'A refused request (each field error is an ErrorRecord naming the field)'
$refused = Get-Content $requestPath | ConvertFrom-Json
$refused.rank = 24
$refused.conditioning_seconds = 5.0
$bad = $refused | Test-ExtendSuffixConfig -ErrorVariable problems -ErrorAction SilentlyContinue
$problems | ForEach-Object { "  {0} [{1}]: {2}" -f $_.TargetObject, $_.FullyQualifiedErrorId.Split(',')[0], $_.Exception.Message } | Out-Host
if ($bad.IsValid -or $problems.Count -ne 2) { throw 'The refused demo request was not refused as expected.' }

Write-Step 'Demo finished: the module loads, torch computes, the request contract holds, and the dataset is built.'
