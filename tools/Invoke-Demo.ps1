<#
.SYNOPSIS
    The main job, end to end, with the packaged module in a fresh process: the torch runtime check, the
    model (a small random LTX-2.3 demo model written by New-LtxDemoModel, or the real weights given by
    -ModelPath / -TextEncoderPath), a training request made of real recordings with captions, checked by
    the request contract, the dataset built from it, a short training run with a preview, and the lead-in
    preview cmdlet on a clip the run never saw.
.DESCRIPTION
    Training (Start-LtxAudioExtendTraining, with -Force so a second demo run replaces only what the first
    wrote and reuses its caches) and the preview (Invoke-LtxLeadInPreview) run on the packaged module; any
    failure stops the demo with a non-zero exit code. Everything is written under -WorkPath; the demo model is kept there between runs (New-LtxDemoModel reuses an identical one).
.PARAMETER ModelPath
    A real LTX-2.3 unified checkpoint (e.g. ltx-2.3-22b-dev.safetensors). Without it, the demo model is used.
.PARAMETER TextEncoderPath
    The real Gemma 3 folder (gemma-3-12b-it-qat-q4_0-unquantized). Needed with -ModelPath.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WorkPath,
    [Parameter(Mandatory)] [string] $SamplesFolder,
    [string] $TokenizerPath,
    [string] $ModelPath,
    [string] $TextEncoderPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Write-Step([string] $Text) { Write-Host "`n--- $Text" -ForegroundColor Cyan }

if ([bool]$ModelPath -ne [bool]$TextEncoderPath) { throw 'Give both -ModelPath and -TextEncoderPath (real weights), or neither (the demo model).' }

Write-Step 'Torch runtime (Get-LtxTrainerEnvironment)'
$environment = Get-LtxTrainerEnvironment -FailOnCheckMismatch
$environment | Format-List LibTorchVersion, TorchSharpVersion, Backend, Devices, Threads, CheckComputation, CheckPassed | Out-Host

# Only what earlier runs of this script wrote is cleared; the demo model stays for reuse.
$null = New-Item -ItemType Directory -Force -Path $WorkPath
foreach ($name in 'clips', 'clips.zip', 'request.json', 'dataset', 'debug-dataset.zip', 'training', 'preview') {
    $old = Join-Path $WorkPath $name
    if (Test-Path $old) { Remove-Item $old -Recurse -Force }
}

if ($ModelPath) {
    Write-Step "Real LTX-2.3 weights: $ModelPath, $TextEncoderPath"
    $model = [pscustomobject]@{ ModelPath = (Resolve-Path $ModelPath).Path; TextEncoderPath = (Resolve-Path $TextEncoderPath).Path }
}
else {
    Write-Step 'Demo model (New-LtxDemoModel): tiny and random, in the real LTX-2.3 layout, with the real Gemma 3 tokenizer'
    if (-not $TokenizerPath -or -not (Test-Path $TokenizerPath)) { throw "The Gemma 3 tokenizer is missing at '$TokenizerPath'; run tests/Install-TestPrerequisites.sh." }
    $model = New-LtxDemoModel -Path (Join-Path $WorkPath 'model') -TokenizerPath $TokenizerPath -Seed 42
    $model | Out-Host
    Write-Host 'The demo model makes noise, not music: it shows the whole path on a CPU in minutes. Pass -ModelPath/-TextEncoderPath for the real one.'
}
# Read through the engine's own checkpoint loader, as training and previews read it.
$checkpoint = [LtxTrainer.Core.Checkpoints.LtxCheckpoint]::Open($model.ModelPath)
try {
    $config = $checkpoint.Config
    [pscustomobject]@{
        Variant            = $checkpoint.Variant
        ModelVersion       = $checkpoint.ModelVersion
        TransformerBlocks  = $config.NumLayers
        AudioWidth         = $config.AudioInnerDim
        AudioTensors       = @($checkpoint.AudioTransformerKeys()).Count
        ConnectorBlocks    = $config.AudioConnector.Layers
    } | Format-List | Out-Host
}
finally { $checkpoint.Dispose() }

Write-Step "Training data: ten real drum and percussion loops (CC0, supersonic-scsynth-samples) from $SamplesFolder"
$captions = [ordered]@{
    'loop_amen_full' = 'the amen break, a sampled funk drum loop'
    'loop_compus'    = 'a clicky electronic percussion loop'
    'loop_garzul'    = 'a dark electronic drum groove'
    'loop_mika'      = 'a bright synth percussion loop'
    'loop_safari'    = 'a busy hand percussion loop'
    'loop_tabla'     = 'a tabla loop with deep bass strokes'
    'loop_3d_printer' = 'a mechanical rhythm of a 3d printer'
    'arovane_beat_a' = 'a glitchy downtempo beat'
    'arovane_beat_b' = 'a glitchy downtempo beat with a snare roll'
    'arovane_beat_d' = 'a sparse glitchy beat with a deep kick'
}
$clips = New-Item -ItemType Directory -Path (Join-Path $WorkPath 'clips')
foreach ($name in $captions.Keys) {
    $source = Join-Path $SamplesFolder "$name.flac"
    if (-not (Test-Path $source)) { throw "Sample '$source' is missing; run tests/Install-TestPrerequisites.sh." }
    Copy-Item $source $clips
    Set-Content -Path (Join-Path $clips "$name.txt") -Value $captions[$name]
}
$zip = Join-Path $WorkPath 'clips.zip'
Compress-Archive -Path (Join-Path $clips '*') -DestinationPath $zip
Get-ChildItem $clips | Format-Table Name, Length | Out-Host
# A clip the run never trains on, for the previews.
$heldOut = Join-Path $SamplesFolder 'arovane_beat_c.flac'

Write-Step 'Request contract (Test-ExtendSuffixConfig)'
$request = [ordered]@{
    training_data_url      = $zip
    trigger_phrase         = 'demoloop'
    rank                   = 8
    number_of_steps        = 100      # the contract's minimum
    conditioning_seconds   = 1.0
    audio_duration_seconds = 5.0
    validation             = @(@{ prompt = 'demoloop a broken electronic beat'; audio_url = $heldOut })
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
if ($dataset.KeptCount -ne $captions.Count) { throw "The demo dataset kept $($dataset.KeptCount) of $($captions.Count) clips." }
$archive = Import-AudioSuffixDataset -WorkFolder $datasetFolder |
    Export-AudioSuffixDebugArchive -DestinationPath (Join-Path $WorkPath 'debug-dataset.zip')
$archive | Format-Table Name, Length | Out-Host

Write-Step 'Training (Start-LtxAudioExtendTraining): a short run with a preview'
# -Force: a second demo run replaces only the files the previous one wrote (the caches are reused).
$training = $dataset | Start-LtxAudioExtendTraining -Config $check.Config -ModelPath $model.ModelPath `
    -TextEncoderPath $model.TextEncoderPath -OutputFolder (Join-Path $WorkPath 'training') -Seed 42 -Force
$training | Format-List | Out-Host
Get-ChildItem (Join-Path $WorkPath 'training') -File | Format-Table Name, Length | Out-Host
if (-not $training.Completed) { throw 'The demo training run did not complete.' }

Write-Step 'Lead-in preview (Invoke-LtxLeadInPreview) of a held-out clip with the trained LoRA'
$preview = $training | Invoke-LtxLeadInPreview -Path $heldOut -Prompt 'demoloop a broken electronic beat' `
    -ModelPath $model.ModelPath -TextEncoderPath $model.TextEncoderPath -ConditioningSeconds 1.0 -DurationSeconds 5.0 `
    -Steps 10 -Seed 42 -OutputPath (Join-Path $WorkPath 'preview/lead-in.wav') -Force
$preview | Format-List | Out-Host

Write-Step 'A refused request (each field error is an ErrorRecord naming the field)'
$refused = Get-Content $requestPath | ConvertFrom-Json
$refused.rank = 24
$refused.conditioning_seconds = 5.0
$bad = $refused | Test-ExtendSuffixConfig -ErrorVariable problems -ErrorAction SilentlyContinue
$problems | ForEach-Object { "  {0} [{1}]: {2}" -f $_.TargetObject, $_.FullyQualifiedErrorId.Split(',')[0], $_.Exception.Message } | Out-Host
if ($bad.IsValid -or $problems.Count -ne 2) { throw 'The refused demo request was not refused as expected.' }

Write-Step "Demo finished: trained $($training.StepsDone) steps; the LoRA is $($training.LoraFile); the preview is $($preview.Path)."
