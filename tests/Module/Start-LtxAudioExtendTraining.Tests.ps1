# End to end on the tiny unified checkpoint made from the golden sets (tests/TestData/Models/TinyPreviewModel.cs,
# compiled here against the packaged engine) and the golden Gemma: a request piped from Test-ExtendSuffixConfig,
# the dataset built inside, 100 steps (the contract's minimum) on 1-second clips, every output.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Root = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "ltxt-train-$([guid]::NewGuid().ToString('N'))")).FullName
    $golden = if ($env:LTXTRAINER_GOLDEN) { $env:LTXTRAINER_GOLDEN } else { Join-Path $PSScriptRoot '../../../shared/golden' }
    $script:Golden = (Resolve-Path $golden).Path
    $base = $LtxModule.ModuleBase
    Add-Type -Path (Join-Path $base 'LtxTrainer.Core.dll')
    if (-not ('LtxTrainer.TestData.TinyPreviewModel' -as [type])) {
        $refs = @('LtxTrainer.Core.dll', 'TorchSharp.dll') | ForEach-Object { Join-Path $base $_ }
        $refs += 'System.Runtime', 'System.Collections', 'System.Linq', 'System.Text.Json', 'System.Memory', 'System.IO'
        Add-Type -IgnoreWarnings -ReferencedAssemblies $refs -Path (Join-Path $PSScriptRoot '../TestData/Models/TinyPreviewModel.cs')
    }
    $script:Model = [LtxTrainer.TestData.TinyPreviewModel]::Write($Golden, (Join-Path $Root 'tiny_unified.safetensors'))
    $script:Gemma = [LtxTrainer.TestData.TinyPreviewModel]::GemmaFolder($Golden)

    # Two captioned tones of 1 s and a closing clip for the preview, as 16 kHz stereo float WAVs.
    function Write-Tone([string] $Path, [double] $Hz, [double] $Seconds) {
        $n = [int](16000 * $Seconds)
        $samples = [float[]]::new($n)
        for ($i = 0; $i -lt $n; $i++) { $samples[$i] = [float](0.5 * [Math]::Sin(2 * [Math]::PI * $Hz * $i / 16000)) }
        [LtxTrainer.Core.Audio.StereoWavFile]::Write($Path, $samples, $samples, 16000)
    }
    $clips = New-Item -ItemType Directory -Path (Join-Path $Root 'clips')
    foreach ($i in 1, 2) {
        Write-Tone (Join-Path $clips "tone$i.wav") (220 * $i) 1.0
        Set-Content -Path (Join-Path $clips "tone$i.txt") -Value "a tone at pitch $i"
    }
    $script:Zip = Join-Path $Root 'tones.zip'
    Compress-Archive -Path (Join-Path $clips '*') -DestinationPath $Zip
    # A FLAC validation clip: only ffmpeg reads it, found on the PATH as the dataset step finds it.
    $closingWav = Join-Path $Root 'closing.wav'
    Write-Tone $closingWav 330 1.0
    $script:Closing = Join-Path $Root 'closing.flac'
    & ffmpeg -nostdin -hide_banner -loglevel error -y -i $closingWav $Closing
    if ($LASTEXITCODE -ne 0) { throw "ffmpeg failed to write $Closing" }

    $script:Check = Test-ExtendSuffixConfig -TrainingDataUrl $Zip -Rank 8 -NumberOfSteps 100 -LearningRate 0.001 `
        -AudioDurationSeconds 1.0 -ConditioningSeconds 0.2 -Validation @(@{ prompt = 'a tone at pitch 1'; audio_url = $Closing })
    $script:Common = @{ ModelPath = $Model; TextEncoderPath = $Gemma; CheckpointInterval = 50; PreviewSteps = 2; Seed = 3 }
    $script:Out = Join-Path $Root 'run'
    $script:Verbose = $Check | Start-LtxAudioExtendTraining @Common -OutputFolder $Out -Verbose 4>&1
    $script:Result = $Verbose | Where-Object { $_ -is [LtxTrainer.Core.Training.TrainingRunResult] }
}

AfterAll {
    if ($script:Root) { Remove-Item -Recurse -Force $script:Root -ErrorAction SilentlyContinue }
}

Describe 'Start-LtxAudioExtendTraining' {
    It 'trains from a piped request, building the dataset inside, and returns every output' {
        $Result | Should -Not -BeNullOrEmpty
        $Result.Completed | Should -BeTrue
        $Result.StepsDone | Should -Be 100
        $Result.BillableUnits | Should -Be 100
        $Result.LoraFile | Should -Exist
        $Result.ConfigFile | Should -Exist
        $Result.AudioFile | Should -Exist
        $Result.MetricsFile | Should -Exist
        @(Get-Content $Result.MetricsFile).Count | Should -Be 100
        (Get-Content $Result.ConfigFile -Raw | ConvertFrom-Json).training_type | Should -Be 'audio-extend-suffix'
        (Join-Path $Out 'dataset/dataset.json') | Should -Exist
        @(Get-ChildItem (Join-Path $Out 'checkpoints') -Directory).Name | Should -Be @('step_000050', 'step_000100')
        $Result.PeakMemoryBytes | Should -BeGreaterThan 0
        $Result.LossPlotFile | Should -Exist
        $Result.SpectrogramFile | Should -Exist
    }

    It 'pipes into Invoke-LtxLeadInPreview, whose -Lora takes the result''s LoraFile' {
        $previewFolder = Join-Path $Root 'preview'
        $preview = $Result | Invoke-LtxLeadInPreview -Path $Closing -Prompt 'a tone at pitch 1' -ModelPath $Model -TextEncoderPath $Gemma `
            -ConditioningSeconds 0.2 -DurationSeconds 1.0 -Steps 2 -OutputPath $previewFolder
        $preview.Path | Should -Exist
        @($preview.Loras).Path | Should -Be @($Result.LoraFile)
        $preview.StgBlocks | Should -Be @(1) -Because 'without -StgBlocks a 2-block model skips its last block (it has no block 28)'
    }

    It 'explains each phase with -Verbose' {
        $lines = @($Verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        ($lines -join "`n") | Should -Match 'EncodingCaptions:'
        ($lines -join "`n") | Should -Match 'LoadingModel:'
        ($lines -join "`n") | Should -Match 'Training:'
        ($lines -join "`n") | Should -Match 'Captions: \d+ encoded'
    }

    It 'shows the result with its format view' {
        $text = $Result | Out-String
        $text | Should -Match 'Steps\s+: 100 / 100'
        $text | Should -Match 'LoraFile'
    }

    It 'never replaces a finished run without -Force' {
        $before = (Get-FileHash $Result.LoraFile).Hash
        { $Check | Start-LtxAudioExtendTraining @Common -OutputFolder $Out -ErrorAction Stop } |
            Should -Throw -ErrorId 'TrainingOutputExists,LtxTrainer.Cmdlets.Training.StartLtxAudioExtendTrainingCommand'
        (Get-FileHash $Result.LoraFile).Hash | Should -Be $before
    }

    It 'refuses a request the contract refuses before any work' {
        $folder = Join-Path $Root 'refused'
        { Start-LtxAudioExtendTraining -TrainingDataUrl $Zip -Rank 7 @Common -OutputFolder $folder -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRequest,LtxTrainer.Cmdlets.Training.StartLtxAudioExtendTrainingCommand'
        $folder | Should -Not -Exist
    }

    It 'keeps a checkpoint on Ctrl+C (pipeline stop) and -Resume finishes the run' {
        $folder = Join-Path $Root 'stopped'
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($manifest, $check, $common, $folder)
            Import-Module $manifest
            $check | Start-LtxAudioExtendTraining @common -OutputFolder $folder -CheckpointInterval 0
        }).AddArgument($LtxModule.Path).AddArgument($Check).AddArgument($Common).AddArgument($folder)
        $async = $ps.BeginInvoke()
        $metrics = Join-Path $folder 'metrics.jsonl'
        $deadline = [DateTime]::UtcNow.AddMinutes(5)
        while (-not ((Test-Path $metrics) -and @(Get-Content $metrics).Count -ge 3) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $ps.Stop()
        $ps.Dispose()
        $checkpoints = @(Get-ChildItem (Join-Path $folder 'checkpoints') -Directory)
        $checkpoints.Count | Should -Be 1
        $done = [int]($checkpoints[0].Name -replace 'step_', '')
        $done | Should -BeGreaterOrEqual 3
        $done | Should -BeLessThan 100
        (Join-Path $folder 'lora.safetensors') | Should -Not -Exist

        $resumed = $Check | Start-LtxAudioExtendTraining @Common -OutputFolder $folder -Resume
        $resumed.ResumedFromStep | Should -Be $done
        $resumed.Completed | Should -BeTrue
        @(Get-Content $resumed.MetricsFile).Count | Should -Be 100
    }

    It 'writes nothing with -WhatIf' {
        $folder = Join-Path $Root 'whatif'
        $Check | Start-LtxAudioExtendTraining @Common -OutputFolder $folder -WhatIf
        $folder | Should -Not -Exist
    }
}
