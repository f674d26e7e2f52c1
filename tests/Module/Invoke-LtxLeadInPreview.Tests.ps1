BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Golden = (Resolve-Path $(if ($env:LTXTRAINER_GOLDEN) { $env:LTXTRAINER_GOLDEN } else { Join-Path $RepoRoot '../shared/golden' })).Path
    $script:Root = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "ltxt-leadin-$([guid]::NewGuid().ToString('N'))")).FullName

    # The tiny unified checkpoint the xunit tests use, built by the same source file (compiled against the module's assemblies).
    if (-not ('LtxTrainer.TestData.TinyPreviewModel' -as [type])) {
        $module = Split-Path $script:ModuleManifest
        Add-Type -Path (Join-Path $RepoRoot 'tests/TestData/Models/TinyPreviewModel.cs') -IgnoreWarnings -ReferencedAssemblies @(
            (Join-Path $module 'LtxTrainer.Core.dll'), (Join-Path $module 'TorchSharp.dll'),
            'System.Text.Json', 'System.Linq', 'System.Collections', 'System.Runtime', 'System.Memory')
    }
    $script:Model = [LtxTrainer.TestData.TinyPreviewModel]::Write($Golden, (Join-Path $Root 'tiny_unified.safetensors'))
    $script:Gemma = [LtxTrainer.TestData.TinyPreviewModel]::GemmaFolder($Golden)
    $script:LoraFile = [LtxTrainer.TestData.TinyPreviewModel]::LoraPath($Golden)
    $script:Cache = Join-Path $Root 'captions'

    # A 1.5 s stereo 16-bit WAV of two tones at 44.1 kHz (the closing clip).
    function New-ToneWav([string] $Path, [double] $Seconds = 1.5, [double] $Amplitude = 0.5) {
        $rate = 44100; $n = [int]($Seconds * $rate)
        $stream = [IO.File]::Create($Path); $w = [IO.BinaryWriter]::new($stream)
        $w.Write([Text.Encoding]::ASCII.GetBytes('RIFF')); $w.Write([int](36 + 4 * $n)); $w.Write([Text.Encoding]::ASCII.GetBytes('WAVEfmt '))
        $w.Write([int]16); $w.Write([int16]1); $w.Write([int16]2); $w.Write([int]$rate); $w.Write([int]($rate * 4)); $w.Write([int16]4); $w.Write([int16]16)
        $w.Write([Text.Encoding]::ASCII.GetBytes('data')); $w.Write([int](4 * $n))
        for ($i = 0; $i -lt $n; $i++) {
            $w.Write([int16]([math]::Sin(2 * [math]::PI * 220 * $i / $rate) * $Amplitude * 32767))
            $w.Write([int16]([math]::Sin(2 * [math]::PI * 330 * $i / $rate) * $Amplitude * 32767))
        }
        $w.Dispose(); $Path
    }
    $script:Clip = New-ToneWav (Join-Path $Root 'closing.wav')

    # Tiny-model settings: 1 s in all, 0.5 s of closing clip, 4 steps, STG on block 1 of 2.
    $script:Tiny = @{ ModelPath = $Model; TextEncoderPath = $Gemma; CaptionCachePath = $Cache; DurationSeconds = 1.0
                      ConditioningSeconds = 0.5; Steps = 4; StgBlocks = 1 }

    # RIFF fields of a PCM WAV: rate, channels, bits, frames.
    function Read-WavFormat([string] $Path) {
        $b = [IO.File]::ReadAllBytes($Path)
        $dataAt = 12; while ([Text.Encoding]::ASCII.GetString($b, $dataAt, 4) -ne 'data') { $dataAt += 8 + [BitConverter]::ToInt32($b, $dataAt + 4) }
        $channels = [BitConverter]::ToInt16($b, 22); $bits = [BitConverter]::ToInt16($b, 34)
        [pscustomobject]@{ Rate = [BitConverter]::ToInt32($b, 24); Channels = $channels; Bits = $bits
                           Frames = [BitConverter]::ToInt32($b, $dataAt + 4) / ($channels * $bits / 8) }
    }
}

AfterAll {
    if ($script:Root -and (Test-Path $script:Root)) { Remove-Item -LiteralPath $script:Root -Recurse -Force }
}

Describe 'Invoke-LtxLeadInPreview parameters' {
    It 'takes clips from the pipeline and LoRAs by property name, with the documented defaults' {
        $command = Get-Command Invoke-LtxLeadInPreview
        $path = $command.Parameters['Path']
        $path.Aliases | Should -Contain 'FullName'
        $path.Attributes.Where({ $_ -is [Parameter] }).ValueFromPipelineByPropertyName | Should -Contain $true
        $command.Parameters['Lora'].Aliases | Should -Contain 'LoraFile'
        $command.Parameters['Lora'].ParameterType | Should -Be ([LtxTrainer.Core.Sampling.LoraReference[]])
        foreach ($name in 'ModelPath', 'TextEncoderPath', 'NegativePrompt', 'ConditioningSeconds', 'DurationSeconds', 'FrameRate', 'Steps',
                          'CfgScale', 'StgScale', 'StgBlocks', 'GuidanceRescale', 'Seed', 'OutputPath', 'Device', 'FuseLora', 'Force') {
            $command.Parameters.Keys | Should -Contain $name
        }
        $command.Parameters['WhatIf'] | Should -Not -BeNullOrEmpty
        (Get-Help Invoke-LtxLeadInPreview).Synopsis | Should -Match 'lead-in'
    }
}

Describe 'Invoke-LtxLeadInPreview bad input' {
    It 'refuses a missing model before reading any clip' {
        { Invoke-LtxLeadInPreview -Path $Clip -ModelPath (Join-Path $Root 'none.safetensors') -TextEncoderPath $Gemma -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileNotFound,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand'
    }

    It 'refuses a clip shorter than the conditioning seconds, naming it' {
        $short = New-ToneWav (Join-Path $Root 'short.wav') -Seconds 0.3
        $out = Join-Path $Root 'bad1'
        Invoke-LtxLeadInPreview -Path $short @Tiny -OutputPath $out -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'UnusableClosingClip,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand'
        $err[0].TargetObject | Should -Be $short
        $err[0].Exception.Message | Should -Match '0\.30 s < 0\.50 s'
        Test-Path $out | Should -BeFalse
    }

    It 'refuses a silent clip and an unreadable one' {
        $silent = New-ToneWav (Join-Path $Root 'silent.wav') -Amplitude 0
        $broken = Join-Path $Root 'broken.wav'; Set-Content -Path $broken -Value 'not audio'
        Invoke-LtxLeadInPreview -Path $silent, $broken @Tiny -OutputPath (Join-Path $Root 'bad2') -ErrorVariable err -ErrorAction SilentlyContinue
        $err.FullyQualifiedErrorId | Should -Be @('UnusableClosingClip,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand',
                                                  'AudioDecodeFailed,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand')
        $err[0].Exception.Message | Should -Match 'silent'
    }

    It 'takes its ranges from the request contract' {
        $command = Get-Command Invoke-LtxLeadInPreview
        $validator = [LtxTrainer.Core.Contract.AudioSuffixConfigValidator]
        $range = { param($name) $command.Parameters[$name].Attributes.Where({ $_ -is [ValidateRange] })[0] }
        (& $range 'ConditioningSeconds').MinRange | Should -Be $validator::MinimumConditioningSeconds
        (& $range 'DurationSeconds').MaxRange | Should -Be $validator::MaximumAudioDurationSeconds
        (& $range 'FrameRate').MinRange | Should -Be $validator::MinimumValidationFrameRate
        (& $range 'StgScale').MaxRange | Should -Be $validator::MaximumStgScale
    }

    It 'refuses a length that leaves no lead-in, and a missing LoRA file' {
        Invoke-LtxLeadInPreview -Path $Clip @Tiny -DurationSeconds 0.5 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidLeadInRequest,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand'
        $err[0].Exception.Message | Should -Match 'leaves no lead-in'
        Invoke-LtxLeadInPreview -Path $Clip @Tiny -Lora (Join-Path $Root 'missing.safetensors') -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].FullyQualifiedErrorId | Should -Be 'InvalidLeadInRequest,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand'
        $err2[0].TargetObject | Should -Be 'Loras'
    }

    It 'downloads a clip given as a URL and checks it like a file' {
        $short = [IO.File]::ReadAllBytes((New-ToneWav (Join-Path $Root 'short-url.wav') -Seconds 0.3))
        $listener = [System.Net.HttpListener]::new()
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $job = Start-ThreadJob -ArgumentList $listener, $short -ScriptBlock {
            param($listener, $bytes)
            $context = $listener.GetContext()
            $context.Response.ContentLength64 = $bytes.Length
            $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
            $context.Response.Close()
        }
        try {
            $url = "http://127.0.0.1:$port/clips/short.wav"
            Invoke-LtxLeadInPreview -Path $url @Tiny -OutputPath (Join-Path $Root 'url') -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'UnusableClosingClip,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand'
            $err[0].Exception.Message | Should -Match '0\.30 s < 0\.50 s'
            $err[0].TargetObject | Should -Be $url
        }
        finally {
            $job | Wait-Job -Timeout 30 | Out-Null
            $job | Remove-Job -Force
            $listener.Close()
        }
    }

    It 'refuses a bad device name and a bad LoRA argument' {
        { Invoke-LtxLeadInPreview -Path $Clip @Tiny -Device 'tpu' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand'
        { Invoke-LtxLeadInPreview -Path $Clip @Tiny -Lora @{ Strength = 2 } } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,LtxTrainer.Cmdlets.Sampling.InvokeLtxLeadInPreviewCommand'
    }
}

Describe 'Invoke-LtxLeadInPreview end to end on the tiny model' {
    BeforeAll {
        $script:Out = Join-Path $Root 'previews'
        $script:Result = Invoke-LtxLeadInPreview -Path $Clip @Tiny -Prompt 'two tones' -OutputPath $Out -Lora @{ Path = $LoraFile; Strength = 0.5 }
    }

    It 'writes a 16-bit stereo WAV at the vocoder rate with the contract length, and its spectrogram' {
        $Result | Should -BeOfType ([LtxTrainer.Core.Sampling.LeadInPreview])
        $Result.Path | Should -Be (Join-Path $Out 'closing.leadin.wav')
        $Result.SpectrogramPath | Should -Be (Join-Path $Out 'closing.leadin.png')
        $format = Read-WavFormat $Result.Path
        $format.Rate | Should -Be 48000
        $format.Channels | Should -Be 2
        $format.Bits | Should -Be 16
        # round(25 * 1.0 s) = 25 tokens; the 0.5 s clip encodes alone to ValidationSuffixSteps = floor(floor(8000/160)/4)+1 = 13.
        $config = [LtxTrainer.Core.Contract.AudioSuffixConfig]@{ TrainingDataUrl = 'unused.zip'; ConditioningSeconds = 0.5 }
        $Result.SuffixTokens | Should -Be ([LtxTrainer.Core.Contract.AudioSuffixDerivedFigures]::For($config).ValidationSuffixSteps)
        $Result.LeadInTokens + $Result.SuffixTokens | Should -Be 25
        # 4T - 3 = 97 mel frames; the tiny vocoder makes 5*2*2 = 20 samples per frame and its bandwidth extension x3.
        $format.Frames | Should -Be (97 * 20 * 3)
        $Result.TotalSeconds | Should -Be ($format.Frames / 48000)
        [IO.File]::ReadAllBytes($Result.SpectrogramPath)[1..3] | Should -Be ([byte[]][char[]]'PNG')
    }

    It 'reports every setting it used' {
        $Result.Seed | Should -Be 42
        $Result.Steps | Should -Be 4
        $Result.StgBlocks | Should -Be @(1)
        $Result.NegativePrompt | Should -Be ([LtxTrainer.Core.Sampling.LeadInRequest]::OfficialNegativePrompt)
        $Result.Loras[0].Strength | Should -Be 0.5
        $Result.Loras[0].Path | Should -Be $LoraFile
        $Result.Seconds | Should -BeGreaterThan 0
        ($Result | Format-List | Out-String) | Should -Match 'lead-in \+'
    }

    It 'keeps existing files unless -Force, and writes nothing with -WhatIf' {
        Invoke-LtxLeadInPreview -Path $Clip @Tiny -OutputPath $Out -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].Exception.Message | Should -Match 'already exists'
        $whatIf = Join-Path $Root 'whatif'
        Invoke-LtxLeadInPreview -Path $Clip @Tiny -OutputPath $whatIf -WhatIf | Should -BeNullOrEmpty
        Test-Path $whatIf | Should -BeFalse
    }

    It 'gives the same audio for the same seed, a WAV path of its own, and serves several clips with one model load' {
        $again = Invoke-LtxLeadInPreview -Path $Clip @Tiny -Prompt 'two tones' -OutputPath (Join-Path $Root 'again.wav') -Lora @{ Path = $LoraFile; Strength = 0.5 }
        $again.Path | Should -Be (Join-Path $Root 'again.wav')
        (Get-FileHash $again.Path).Hash | Should -Be (Get-FileHash $Result.Path).Hash
        $second = Copy-Item $Clip (Join-Path $Root 'second.wav') -PassThru
        $both = Get-Item $Clip, $second | Invoke-LtxLeadInPreview @Tiny -OutputPath (Join-Path $Root 'both') -Seed 3 -FuseLora -Lora $LoraFile
        $both.Count | Should -Be 2
        $both[1].Seconds | Should -BeLessThan $both[0].Seconds
        (Get-FileHash $both[0].Path).Hash | Should -Be (Get-FileHash $both[1].Path).Hash
        (Get-FileHash $both[0].Path).Hash | Should -Not -Be (Get-FileHash $Result.Path).Hash
    }
}
