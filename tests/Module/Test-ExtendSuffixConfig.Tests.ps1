BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Folder = New-RequestFolder
    $script:Zip = Join-Path $Folder 'clips.zip'
    $script:Wav = Join-Path $Folder 'preview.wav'
    Push-Location $Folder
}

AfterAll {
    Pop-Location
    Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Test-ExtendSuffixConfig parameter surface' {
    BeforeAll { $script:Command = Get-Command Test-ExtendSuffixConfig }

    It 'has the field parameters with their snake_case aliases' -ForEach @(
        @{ Name = 'TrainingDataUrl'; Alias = 'training_data_url'; Type = [string] }
        @{ Name = 'TriggerPhrase'; Alias = 'trigger_phrase'; Type = [string] }
        @{ Name = 'Rank'; Alias = $null; Type = [int] }
        @{ Name = 'NumberOfSteps'; Alias = 'number_of_steps'; Type = [int] }
        @{ Name = 'LearningRate'; Alias = 'learning_rate'; Type = [double] }
        @{ Name = 'ConditioningSeconds'; Alias = 'conditioning_seconds'; Type = [double] }
        @{ Name = 'AudioDurationSeconds'; Alias = 'audio_duration_seconds'; Type = [double] }
        @{ Name = 'AudioNormalize'; Alias = 'audio_normalize'; Type = [bool] }
        @{ Name = 'AudioPreservePitch'; Alias = 'audio_preserve_pitch'; Type = [bool] }
        @{ Name = 'Validation'; Alias = $null; Type = [object[]] }
        @{ Name = 'ValidationNegativePrompt'; Alias = 'validation_negative_prompt'; Type = [string] }
        @{ Name = 'ValidationFrameRate'; Alias = 'validation_frame_rate'; Type = [int] }
        @{ Name = 'StgScale'; Alias = 'stg_scale'; Type = [double] }
        @{ Name = 'DebugDataset'; Alias = 'debug_dataset'; Type = [switch] }
    ) {
        $parameter = $Command.Parameters[$Name]
        $parameter | Should -Not -BeNullOrEmpty
        $parameter.ParameterType | Should -Be $Type
        if ($Alias) { $parameter.Aliases | Should -Contain $Alias }
        $attribute = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
        $attribute.Mandatory | Should -BeFalse
    }

    It 'has the parameter sets Fields (default), InputObject, Path and LiteralPath' {
        $Command.ParameterSets.Name | Sort-Object | Should -Be @('Fields', 'InputObject', 'LiteralPath', 'Path')
        $Command.DefaultParameterSet | Should -Be 'Fields'
        $Command.Parameters['InputObject'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipeline | Should -BeTrue
        $Command.Parameters['Quiet'].SwitchParameter | Should -BeTrue
    }

    It 'completes -Rank with the allowed ranks' {
        $completion = TabExpansion2 -inputScript 'Test-ExtendSuffixConfig -Rank ' -cursorColumn 'Test-ExtendSuffixConfig -Rank '.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('8', '16', '32', '64', '128')
    }
}

Describe 'Test-ExtendSuffixConfig on valid requests' {
    It 'fills defaults and derives the figures from parameters' {
        $result = Test-ExtendSuffixConfig -TrainingDataUrl clips.zip
        $result | Should -BeOfType ([LtxTrainer.Core.Contract.ConfigValidationResult])
        $result.IsValid | Should -BeTrue
        $result.Config | Should -BeOfType ([LtxTrainer.Core.Contract.AudioSuffixConfig])
        $result.Config.TrainingDataUrl | Should -Be $Zip
        $result.Config.Rank | Should -Be 32
        $result.Config.NumberOfSteps | Should -Be 2000
        $result.Derived.LatentStepsPerClip | Should -Be 126
        $result.Derived.SuffixSteps | Should -Be 25
        $result.Derived.LeadInSteps | Should -Be 101
        $result.Derived.PreviewFrames | Should -Be 121
        $result.Derived.PreviewSteps | Should -Be 126
        $result.Derived.BillableUnits | Should -Be 2000
        $result.Derived.ReferencePriceUsd | Should -Be 4.6
    }

    It 'reads every parameter' {
        $result = Test-ExtendSuffixConfig -TrainingDataUrl $Zip -TriggerPhrase 'ltx' -Rank 16 -NumberOfSteps 800 -LearningRate 1e-4 `
            -ConditioningSeconds 0.5 -AudioDurationSeconds 4 -AudioNormalize $false -AudioPreservePitch $false `
            -Validation @{ prompt = 'a fill'; audio_url = 'preview.wav' } -ValidationNegativePrompt '' -ValidationFrameRate 30 `
            -StgScale 2 -DebugDataset
        $result.IsValid | Should -BeTrue
        $c = $result.Config
        $c.TriggerPhrase | Should -Be 'ltx'
        $c.Rank | Should -Be 16
        $c.LearningRate | Should -Be 1e-4
        $c.AudioNormalize | Should -BeFalse
        $c.AudioPreservePitch | Should -BeFalse
        $c.Validation[0].AudioUrl | Should -Be $Wav
        $c.Validation[0].Prompt | Should -Be 'a fill'
        $c.ValidationNegativePrompt | Should -Be ''
        $c.ValidationFrameRate | Should -Be 30
        $c.StgScale | Should -Be 2
        $c.DebugDataset | Should -BeTrue
        $result.Derived.LatentStepsPerClip | Should -Be 101
        $result.Derived.SuffixSteps | Should -Be 12
    }

    It 'binds a JSON body from the pipeline (Get-Content | ConvertFrom-Json)' {
        Set-Content request.json '{ "training_data_url": "clips.zip", "rank": 64, "number_of_steps": 100, "validation": [ { "audio_url": "preview.wav" } ] }'
        $result = Get-Content request.json | ConvertFrom-Json | Test-ExtendSuffixConfig -WarningVariable warnings
        $result.IsValid | Should -BeTrue
        $result.Config.Rank | Should -Be 64
        $result.Derived.BillableUnits | Should -Be 100
        $result.Config.Validation[0].AudioUrl | Should -Be $Wav
        $warnings | Should -BeNullOrEmpty
    }

    It 'binds properties by name when a field parameter is also given' {
        $body = [pscustomobject]@{ training_data_url = 'clips.zip'; rank = 8; number_of_steps = 300 }
        $result = $body | Test-ExtendSuffixConfig -Rank 128
        $result.Config.Rank | Should -Be 128
        $result.Config.NumberOfSteps | Should -Be 300
    }

    It 'reads a JSON file with -Path, resolving its paths against its folder' {
        $sub = New-Item -ItemType Directory -Force (Join-Path $Folder 'requests')
        Set-Content (Join-Path $sub 'r.json') '{ "training_data_url": "../clips.zip", "stg_scale": 0.5 }'
        Push-Location $HOME
        try { $result = Test-ExtendSuffixConfig -Path (Join-Path $sub 'r.json') -WarningVariable warnings }
        finally { Pop-Location }
        $result.IsValid | Should -BeTrue
        $result.Config.TrainingDataUrl | Should -Be $Zip
        $warnings.Message | Should -Match 'stg_scale has no effect without validation'
    }

    It 'expands wildcards in -Path, one result per file, and takes -LiteralPath as written' {
        $sub = New-Item -ItemType Directory -Force (Join-Path $Folder 'many')
        Set-Content (Join-Path $sub 'a.json') '{ "training_data_url": "../clips.zip", "rank": 8 }'
        Set-Content (Join-Path $sub 'b.json') '{ "training_data_url": "../clips.zip", "rank": 24 }'
        Set-Content -LiteralPath (Join-Path $sub '[c].json') '{ "training_data_url": "../clips.zip", "rank": 16 }'
        $results = @(Test-ExtendSuffixConfig -Path (Join-Path $sub '?.json') -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 2
        ($results | Where-Object IsValid).Config.Rank | Should -Be 8
        (Test-ExtendSuffixConfig -LiteralPath (Join-Path $sub '[c].json')).Config.Rank | Should -Be 16
        (Get-Item -LiteralPath (Join-Path $sub '[c].json') | Test-ExtendSuffixConfig).Config.Rank | Should -Be 16
    }

    It 'writes PathNotFound when a -Path pattern matches nothing' {
        $out = Test-ExtendSuffixConfig -Path (Join-Path $Folder 'none-*.json') -ErrorVariable problems -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'accepts a hashtable and a returned config on -InputObject' {
        (Test-ExtendSuffixConfig -InputObject @{ TrainingDataUrl = 'clips.zip'; Rank = 8 }).Config.Rank | Should -Be 8
        $first = Test-ExtendSuffixConfig -TrainingDataUrl clips.zip -Rank 16
        ($first.Config | Test-ExtendSuffixConfig).Config | Should -Be $first.Config
        ($first | Test-ExtendSuffixConfig).IsValid | Should -BeTrue
    }

    It 'returns only $true with -Quiet' {
        $output = @(Test-ExtendSuffixConfig -TrainingDataUrl clips.zip -Quiet)
        $output.Count | Should -Be 1
        $output[0] | Should -BeOfType ([bool])
        $output[0] | Should -BeTrue
    }

    It 'warns about unknown and video fields, naming them' {
        $body = [pscustomobject]@{ training_data_url = 'clips.zip'; video_url = 'https://example.com/v.mp4'; colour = 'red' }
        $result = $body | Test-ExtendSuffixConfig -WarningVariable warnings -WarningAction SilentlyContinue
        $result.IsValid | Should -BeTrue
        $warnings.Count | Should -Be 2
        $warnings[0].Message | Should -Match 'video_url has no effect for audio extension'
        $warnings[1].Message | Should -Match 'Unknown field colour'
        $result.Warnings.Field | Should -Be @('video_url', 'colour')
    }
}

Describe 'Test-ExtendSuffixConfig on refused requests' {
    It 'writes one InvalidRequestField error per field and returns IsValid = $false' {
        $result = Test-ExtendSuffixConfig -TrainingDataUrl clips.zip -Rank 24 -NumberOfSteps 99 -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.IsValid | Should -BeFalse
        $result.Config | Should -BeNullOrEmpty
        $result.Errors.Field | Should -Be @('rank', 'number_of_steps')
        $problems.Count | Should -Be 2
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidRequestField,LtxTrainer.Cmdlets.Contract.TestExtendSuffixConfigCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].TargetObject | Should -Be 'rank'
        $problems[0].Exception.Message | Should -Match '8, 16, 32, 64, 128'
        $problems[1].TargetObject | Should -Be 'number_of_steps'
    }

    It 'sees raw JSON types: <Json>' -ForEach @(
        @{ Json = '"rank": "32"'; Field = 'rank'; Pattern = 'a string' }
        @{ Json = '"learning_rate": 0'; Field = 'learning_rate'; Pattern = 'greater than 0' }
        @{ Json = '"audio_normalize": "yes"'; Field = 'audio_normalize'; Pattern = 'true or false' }
        @{ Json = '"conditioning_seconds": 30.01'; Field = 'conditioning_seconds'; Pattern = '0.1 to 30.0' }
        @{ Json = '"validation": [{"prompt": "p"}]'; Field = 'validation[0].audio_url'; Pattern = 'required' }
        @{ Json = '"validation": [{"audio_url": ""}]'; Field = 'validation[0].audio_url'; Pattern = 'must not be empty' }
        @{ Json = '"validation": [{"audio_url": "preview.wav"},{"audio_url": "preview.wav"},{"audio_url": "preview.wav"}]'; Field = 'validation'; Pattern = 'at most 2' }
        @{ Json = '"trigger_phrase": null'; Field = 'trigger_phrase'; Pattern = 'null' }
    ) {
        $body = "{ ""training_data_url"": ""clips.zip"", $Json }" | ConvertFrom-Json
        $result = $body | Test-ExtendSuffixConfig -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.IsValid | Should -BeFalse
        $problems.Count | Should -Be 1
        $problems[0].TargetObject | Should -Be $Field
        $problems[0].Exception.Message | Should -Match ([regex]::Escape($Pattern))
    }

    It 'refuses NaN and infinity given as parameters' -ForEach @(
        @{ Value = [double]::NaN }, @{ Value = [double]::PositiveInfinity }, @{ Value = -1.0 }
    ) {
        $result = Test-ExtendSuffixConfig -TrainingDataUrl clips.zip -LearningRate $Value -ErrorAction SilentlyContinue -ErrorVariable problems
        $result.IsValid | Should -BeFalse
        $problems[0].TargetObject | Should -Be 'learning_rate'
    }

    It 'refuses a fraction for whole-number parameter -<Name> instead of rounding it' -ForEach @(
        @{ Name = 'NumberOfSteps'; Value = 2000.5 }, @{ Name = 'ValidationFrameRate'; Value = 23.6 },
        @{ Name = 'Rank'; Value = '32.5' }
    ) {
        $arguments = @{ TrainingDataUrl = 'clips.zip'; $Name = $Value }
        { Test-ExtendSuffixConfig @arguments } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -ExpectedMessage "*$Name*whole number*"
        # Whole values of any numeric type still bind.
        $arguments[$Name] = [double][math]::Floor([double]$Value)
        (Test-ExtendSuffixConfig @arguments -WarningAction SilentlyContinue -ErrorAction SilentlyContinue).Config.$Name | Should -Be ([math]::Floor([double]$Value))
    }

    It 'refuses a fraction bound by property name' {
        $body = [pscustomobject]@{ training_data_url = 'clips.zip'; number_of_steps = 300.5 }
        { $body | Test-ExtendSuffixConfig -Rank 8 -ErrorAction Stop } | Should -Throw -ExpectedMessage '*whole number*'
    }

    It 'refuses a missing and an empty training_data_url' {
        (Test-ExtendSuffixConfig -ErrorAction SilentlyContinue).Errors[0].Message | Should -Match 'training_data_url is required'
        (Test-ExtendSuffixConfig -TrainingDataUrl '' -ErrorAction SilentlyContinue).Errors[0].Message | Should -Match 'must not be empty'
        (Test-ExtendSuffixConfig -TrainingDataUrl 'nowhere.zip' -ErrorAction SilentlyContinue).Errors[0].Message | Should -Match 'does not exist'
    }

    It 'refuses a suffix that fills the 60 fps preview' {
        $result = Test-ExtendSuffixConfig -TrainingDataUrl clips.zip -ConditioningSeconds 1.96 -ValidationFrameRate 60 `
            -Validation @{ audio_url = 'preview.wav' } -ErrorAction SilentlyContinue
        $result.Errors[0].Field | Should -Be 'conditioning_seconds'
        $result.Errors[0].Message | Should -Match '121 frames at 60 fps'
    }

    It 'returns only $false with -Quiet and writes nothing else' {
        $output = @(Test-ExtendSuffixConfig -TrainingDataUrl clips.zip -Rank 24 -Quiet -ErrorVariable problems -WarningVariable warnings 3>&1 2>&1)
        $output.Count | Should -Be 1
        $output[0] | Should -BeFalse
        $problems | Should -BeNullOrEmpty
    }

    It 'turns malformed JSON into a (request) error, not an exception' {
        Set-Content broken.json '{ "rank": '
        $result = Test-ExtendSuffixConfig -Path broken.json -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.IsValid | Should -BeFalse
        $problems[0].TargetObject | Should -Be '(request)'
        $problems[0].Exception.Message | Should -Match 'not valid JSON'
    }

    It 'refuses a null or non-object request as a (request) error' -ForEach @(@{ Value = $null }, @{ Value = 'request.json' }, @{ Value = 42 }) {
        $result = Test-ExtendSuffixConfig -InputObject $Value -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.IsValid | Should -BeFalse
        $problems.Count | Should -Be 1
        $problems[0].TargetObject | Should -Be '(request)'
        $problems[0].Exception.Message | Should -Match 'must be an object of fields'
    }

    It 'reports a refused result piped back in as it stands' {
        $refused = Test-ExtendSuffixConfig -TrainingDataUrl clips.zip -Rank 24 -ErrorAction SilentlyContinue
        $again = $refused | Test-ExtendSuffixConfig -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings
        $again.Errors.Field | Should -Be @('rank')
        $problems.Count | Should -Be 1
        $warnings | Should -BeNullOrEmpty
    }

    It 'reports a missing request file as FileNotFound / ObjectNotFound' {
        $null = Test-ExtendSuffixConfig -Path (Join-Path $Folder 'absent.json') -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be (Join-Path $Folder 'absent.json')
    }

    It 'stops the pipeline on a refused field with -ErrorAction Stop' {
        { Test-ExtendSuffixConfig -TrainingDataUrl clips.zip -Rank 24 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRequestField,LtxTrainer.Cmdlets.Contract.TestExtendSuffixConfigCommand'
    }
}
