# The help generator (tools/Help): what it reads from a docs page, and what it refuses.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module (Join-Path $PSScriptRoot '../../tools/Help/LtxHelpMarkdown.psm1') -Force
    $script:Command = Get-Command Get-LtxTrainerEnvironment
    $script:PageFolder = New-Item -ItemType Directory -Path (Join-Path ([System.IO.Path]::GetTempPath()) "ltx-help-$([guid]::NewGuid().ToString('n'))")

    function New-Page([string] $Text) {
        $path = Join-Path $PageFolder 'Get-LtxTrainerEnvironment.md'
        Set-Content -Path $path -Value $Text
        Read-HelpMarkdown -Path $path
    }

    $script:CompletePage = @'
# Get-LtxTrainerEnvironment

## SYNOPSIS
Short.

## DESCRIPTION
Long text.
Second line of the same paragraph.

## PARAMETERS

### -FailOnCheckMismatch
Fails.
Default value: False

## EXAMPLES

### Example 1: run it
```powershell
# ## not a heading inside a fence
Get-LtxTrainerEnvironment
```
It runs.
'@
}

AfterAll { Remove-Item $script:PageFolder -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'Read-HelpMarkdown' {
    It 'reads sections, parameters and fenced example code' {
        $page = New-Page $CompletePage
        $page.Name | Should -Be 'Get-LtxTrainerEnvironment'
        $page.Sections['SYNOPSIS'] | Should -Be 'Short.'
        $page.SubSections['PARAMETERS'][0].Title | Should -Be '-FailOnCheckMismatch'
        $page.SubSections['EXAMPLES'][0].Code | Should -Be "# ## not a heading inside a fence`nGet-LtxTrainerEnvironment"
        $page.SubSections['EXAMPLES'][0].Text | Should -Be 'It runs.'
    }
}

Describe 'Test-HelpPage' {
    It 'accepts a complete page' {
        Test-HelpPage -Page (New-Page $CompletePage) -Command $Command | Should -BeNullOrEmpty
    }

    It 'names a parameter without text' {
        $page = New-Page ($CompletePage -replace '(?s)### -FailOnCheckMismatch.*?(?=## EXAMPLES)', '')
        Test-HelpPage -Page $page -Command $Command | Should -Match '-FailOnCheckMismatch has no'
    }

    It 'names a documented parameter the cmdlet does not have' {
        $page = New-Page ($CompletePage -replace '## EXAMPLES', "### -Bogus`nNothing.`n`n## EXAMPLES")
        Test-HelpPage -Page $page -Command $Command | Should -Match "'### -Bogus' documents a parameter the cmdlet does not have"
    }

    It 'requires a synopsis, a description and an example with code' {
        $page = New-Page "# Get-LtxTrainerEnvironment`n`n## PARAMETERS`n`n### -FailOnCheckMismatch`nFails.`n"
        $problems = Test-HelpPage -Page $page -Command $Command
        $problems | Should -Contain "section '## SYNOPSIS' is missing or empty"
        $problems | Should -Contain "section '## DESCRIPTION' is missing or empty"
        $problems | Should -Contain "no '### Example' under '## EXAMPLES'"
    }
}

Describe 'ConvertTo-Maml' {
    It 'writes MAML with the joined paragraphs and the default value' {
        $xml = [xml](ConvertTo-Maml -Pairs @([pscustomobject]@{ Page = (New-Page $CompletePage); Command = $Command }))
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $xml.SelectSingleNode('//command:details/command:name', $ns).InnerText | Should -Be 'Get-LtxTrainerEnvironment'
        $xml.SelectSingleNode('/*/command:command/maml:description/maml:para', $ns).InnerText | Should -Be 'Long text. Second line of the same paragraph.'
        $xml.SelectSingleNode('//command:parameters/command:parameter/dev:defaultValue', $ns).InnerText | Should -Be 'False'
        $xml.SelectSingleNode('//command:parameters/command:parameter/maml:description/maml:para', $ns).InnerText | Should -Be 'Fails.'
    }
}

Describe 'ConvertTo-AboutText' {
    It 'writes the about topic layout' {
        $path = Join-Path $PageFolder 'about_Test.md'
        Set-Content $path "# about_Test`n`n## SHORT DESCRIPTION`nOne line with ``code``.`n"
        $text = ConvertTo-AboutText -Path $path
        $text | Should -Match "^TOPIC\r?\n    about_Test"
        $text | Should -Match "SHORT DESCRIPTION\r?\n    One line with code\."
    }
}
