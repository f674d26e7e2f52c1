# Reads the cmdlet help pages under docs/ (the shape is described in docs/README.md) and writes them as
# MAML (what Get-Help reads for binary cmdlets) and as about_*.help.txt topics.
Set-StrictMode -Version 3.0

function Read-HelpMarkdown {
    <#
    Parses one docs/<Cmdlet>.md page into: Name, Sections (level-2 title -> text), SubSections
    (level-2 title -> ordered list of @{ Title; Text; Code }). Text inside ``` fences is kept verbatim
    and never read as a heading.
    #>
    param([Parameter(Mandatory)] [string] $Path)

    $name = $null
    $sections = [ordered]@{}
    $subSections = [ordered]@{}
    $section = $null
    $sub = $null
    $inFence = $false
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^\s*```') {
            $inFence = -not $inFence
            if ($null -ne $sub -and -not $inFence) { $sub.Code = $sub.CodeBuffer.ToString().TrimEnd(); $sub.InCode = $false }
            elseif ($null -ne $sub) { $sub.InCode = $true; $sub.HasCode = $true }
            continue
        }
        if (-not $inFence -and $line -match '^# (.+)$' -and $null -eq $name) { $name = $Matches[1].Trim(); continue }
        if (-not $inFence -and $line -match '^## (.+)$') {
            $section = $Matches[1].Trim().ToUpperInvariant()
            $sections[$section] = [System.Text.StringBuilder]::new()
            $subSections[$section] = [System.Collections.Generic.List[object]]::new()
            $sub = $null
            continue
        }
        if (-not $inFence -and $line -match '^### (.+)$' -and $null -ne $section) {
            $sub = [pscustomobject]@{
                Title = $Matches[1].Trim(); Text = [System.Text.StringBuilder]::new(); Code = $null
                CodeBuffer = [System.Text.StringBuilder]::new(); InCode = $false; HasCode = $false
            }
            $subSections[$section].Add($sub)
            continue
        }
        if ($null -eq $section) { continue }
        if ($null -ne $sub) {
            if ($inFence) { $null = $sub.CodeBuffer.AppendLine($line) } else { $null = $sub.Text.AppendLine($line) }
        }
        else {
            $null = $sections[$section].AppendLine($line)
        }
    }
    if ($inFence) { throw "${Path}: a ``` code fence is not closed." }

    $text = [ordered]@{}
    foreach ($key in $sections.Keys) { $text[$key] = $sections[$key].ToString().Trim() }
    $subs = [ordered]@{}
    foreach ($key in $subSections.Keys) {
        $subs[$key] = @($subSections[$key] | ForEach-Object {
                [pscustomobject]@{ Title = $_.Title; Text = $_.Text.ToString().Trim(); Code = $_.Code }
            })
    }
    [pscustomobject]@{ Name = $name; Path = $Path; Sections = $text; SubSections = $subs }
}

function Split-Paragraph {
    <# Markdown paragraphs (blank-line separated); single line breaks inside a paragraph become spaces, list items stay lines. #>
    param([string] $Text)
    if ([string]::IsNullOrWhiteSpace($Text)) { return @() }
    $paragraphs = [regex]::Split($Text.Trim(), '\r?\n\s*\r?\n')
    foreach ($p in $paragraphs) {
        $lines = $p -split '\r?\n' | ForEach-Object { $_.Trim() }
        if ($lines | Where-Object { $_ -match '^([-*]|\d+\.) ' }) { ($lines -join [Environment]::NewLine) }
        else { ($lines -join ' ') }
    }
}

function Test-HelpPage {
    <# Problems that make a page unusable as help for $Command (empty when the page is complete). #>
    param([Parameter(Mandatory)] $Page, [Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command)
    $problems = [System.Collections.Generic.List[string]]::new()
    if ($Page.Name -ne $Command.Name) { $problems.Add("title is '$($Page.Name)', expected '# $($Command.Name)'") }
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION') {
        if (-not $Page.Sections.Contains($required) -or [string]::IsNullOrWhiteSpace($Page.Sections[$required])) {
            $problems.Add("section '## $required' is missing or empty")
        }
    }
    $examples = @(if ($Page.SubSections.Contains('EXAMPLES')) { $Page.SubSections['EXAMPLES'] })
    if ($examples.Count -eq 0) { $problems.Add("no '### Example' under '## EXAMPLES'") }
    foreach ($example in $examples) {
        if ([string]::IsNullOrWhiteSpace($example.Code)) { $problems.Add("example '$($example.Title)' has no code block") }
    }
    $documented = @{}
    $parameterSections = @(if ($Page.SubSections.Contains('PARAMETERS')) { $Page.SubSections['PARAMETERS'] })
    foreach ($p in $parameterSections) { $documented[$p.Title.TrimStart('-')] = $p }
    foreach ($parameter in Get-DocumentedParameter $Command) {
        if (-not $documented.ContainsKey($parameter.Name) -or [string]::IsNullOrWhiteSpace($documented[$parameter.Name].Text)) {
            $problems.Add("parameter -$($parameter.Name) has no '### -$($parameter.Name)' text under '## PARAMETERS'")
        }
        $documented.Remove($parameter.Name)
    }
    foreach ($extra in $documented.Keys) { $problems.Add("'### -$extra' documents a parameter the cmdlet does not have") }
    $problems
}

function Get-DocumentedParameter {
    <# The cmdlet's own parameters (common parameters are documented by PowerShell itself). #>
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command)
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $Command.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name
}

function ConvertTo-Maml {
    <# One helpItems document with a command:command per (page, command) pair. #>
    param([Parameter(Mandatory)] [object[]] $Pairs)

    $nsMaml = 'http://schemas.microsoft.com/maml/2004/10'
    $nsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $nsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $buffer = [System.IO.StringWriter]::new()
    $w = [System.Xml.XmlWriter]::Create($buffer, $settings)

    $paras = {
        param([string] $Text)
        $w.WriteStartElement('maml', 'description', $nsMaml)
        foreach ($p in Split-Paragraph $Text) { $w.WriteElementString('maml', 'para', $nsMaml, $p) }
        $w.WriteEndElement()
    }
    $writeParameter = {
        param($Parameter, $ParameterSet, [string] $Text)
        $attrs = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        if ($null -ne $ParameterSet) {
            $attrs = @($attrs | Where-Object { $_.ParameterSetName -in $ParameterSet.Name, '__AllParameterSets' })
        }
        $required = [bool]($attrs | Where-Object Mandatory)
        $positioned = @($attrs | Where-Object { $_.Position -ge 0 })
        $position = if ($positioned.Count) { $positioned[0].Position } else { $null }
        $byValue = [bool]($attrs | Where-Object ValueFromPipeline)
        $byName = [bool]($attrs | Where-Object ValueFromPipelineByPropertyName)
        $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
        $w.WriteStartElement('command', 'parameter', $nsCommand)
        $w.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
        $w.WriteAttributeString('variableLength', 'true')
        $w.WriteAttributeString('globbing', 'false')
        $w.WriteAttributeString('pipelineInput', $pipeline)
        $w.WriteAttributeString('position', $(if ($null -ne $position) { "$position" } else { 'named' }))
        $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
        $w.WriteElementString('maml', 'name', $nsMaml, $Parameter.Name)
        # A line "Default value: X" in the parameter's text fills Get-Help's "Default value" field.
        $default = 'None'
        if ($Text -match '(?m)^Default value:\s*(.+?)\s*$') {
            $default = $Matches[1]
            $Text = ($Text -replace '(?m)^Default value:.*$', '').Trim()
        }
        & $paras $Text
        if (-not $isSwitch) {
            # A switch has no value: without parameterValue, Get-Help shows it as [-Name].
            $w.WriteStartElement('command', 'parameterValue', $nsCommand)
            $w.WriteAttributeString('required', 'true')
            $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($Parameter.ParameterType.Name)
            $w.WriteEndElement()
        }
        $w.WriteStartElement('dev', 'type', $nsDev)
        $w.WriteElementString('maml', 'name', $nsMaml, $Parameter.ParameterType.FullName)
        $w.WriteEndElement()
        $w.WriteElementString('dev', 'defaultValue', $nsDev, $default)
        $w.WriteEndElement()
    }
    $writeTypes = {
        param([string] $Outer, [string] $Inner, [object[]] $Items)
        $w.WriteStartElement('command', $Outer, $nsCommand)
        foreach ($item in $Items) {
            $w.WriteStartElement('command', $Inner, $nsCommand)
            $w.WriteStartElement('dev', 'type', $nsDev)
            $w.WriteElementString('maml', 'name', $nsMaml, $item.Title)
            $w.WriteEndElement()
            & $paras $item.Text
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    $w.WriteStartDocument()
    $w.WriteStartElement('helpItems', 'http://msh')
    $w.WriteAttributeString('schema', 'maml')
    foreach ($pair in $Pairs) {
        $page = $pair.Page
        $command = $pair.Command
        $parameterText = @{}
        foreach ($p in $page.SubSections['PARAMETERS']) { $parameterText[$p.Title.TrimStart('-')] = $p.Text }
        $ownParameters = @(Get-DocumentedParameter $command)
        $ownNames = $ownParameters.Name

        $w.WriteStartElement('command', 'command', $nsCommand)
        $w.WriteAttributeString('xmlns', 'maml', $null, $nsMaml)
        $w.WriteAttributeString('xmlns', 'dev', $null, $nsDev)
        $w.WriteStartElement('command', 'details', $nsCommand)
        $w.WriteElementString('command', 'name', $nsCommand, $command.Name)
        $w.WriteElementString('command', 'verb', $nsCommand, $command.Verb)
        $w.WriteElementString('command', 'noun', $nsCommand, $command.Noun)
        & $paras $page.Sections['SYNOPSIS']
        $w.WriteEndElement()
        & $paras $page.Sections['DESCRIPTION']

        $w.WriteStartElement('command', 'syntax', $nsCommand)
        foreach ($set in $command.ParameterSets) {
            $w.WriteStartElement('command', 'syntaxItem', $nsCommand)
            $w.WriteElementString('maml', 'name', $nsMaml, $command.Name)
            foreach ($p in $set.Parameters | Where-Object { $_.Name -in $ownNames }) {
                & $writeParameter $command.Parameters[$p.Name] $set $parameterText[$p.Name]
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'parameters', $nsCommand)
        foreach ($p in $ownParameters) { & $writeParameter $p $null $parameterText[$p.Name] }
        $w.WriteEndElement()

        $inputs = @(if ($page.SubSections.Contains('INPUTS')) { $page.SubSections['INPUTS'] })
        $outputs = @(if ($page.SubSections.Contains('OUTPUTS')) { $page.SubSections['OUTPUTS'] })
        & $writeTypes 'inputTypes' 'inputType' $inputs
        & $writeTypes 'returnValues' 'returnValue' $outputs

        if ($page.Sections.Contains('NOTES') -and $page.Sections['NOTES']) {
            $w.WriteStartElement('maml', 'alertSet', $nsMaml)
            $w.WriteStartElement('maml', 'alert', $nsMaml)
            foreach ($p in Split-Paragraph $page.Sections['NOTES']) { $w.WriteElementString('maml', 'para', $nsMaml, $p) }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }

        $w.WriteStartElement('command', 'examples', $nsCommand)
        foreach ($example in $page.SubSections['EXAMPLES']) {
            $w.WriteStartElement('command', 'example', $nsCommand)
            $w.WriteElementString('maml', 'title', $nsMaml, $example.Title)
            $w.WriteElementString('dev', 'code', $nsDev, $example.Code)
            $w.WriteStartElement('dev', 'remarks', $nsDev)
            foreach ($p in Split-Paragraph $example.Text) { $w.WriteElementString('maml', 'para', $nsMaml, $p) }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'relatedLinks', $nsCommand)
        $links = @(if ($page.Sections.Contains('RELATED LINKS')) { $page.Sections['RELATED LINKS'] -split '\r?\n' })
        foreach ($link in $links | Where-Object { $_ -match '^\s*[-*]\s+(.+)$' }) {
            $text = ($link -replace '^\s*[-*]\s+', '').Trim()
            $w.WriteStartElement('maml', 'navigationLink', $nsMaml)
            $w.WriteElementString('maml', 'linkText', $nsMaml, $text)
            $w.WriteElementString('maml', 'uri', $nsMaml, '')
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteEndElement() # command:command
    }
    $w.WriteEndElement()
    $w.WriteEndDocument()
    $w.Flush()
    $buffer.ToString()
}

function ConvertTo-AboutText {
    <#
    docs/about_*.md → about_*.help.txt: '# about_X' becomes TOPIC, each '## Title' an upper-case heading,
    body lines indented by four spaces; code fences are dropped but their lines kept (indented further).
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $out = [System.Text.StringBuilder]::new()
    $inFence = $false
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^\s*```') { $inFence = -not $inFence; continue }
        if ($inFence) { $null = $out.AppendLine('        ' + $line); continue }
        if ($line -match '^# (.+)$') { $null = $out.AppendLine('TOPIC').AppendLine('    ' + $Matches[1].Trim()).AppendLine(); continue }
        if ($line -match '^#{2,} (.+)$') { $null = $out.AppendLine($Matches[1].Trim().ToUpperInvariant()); continue }
        $null = $out.AppendLine($(if ($line.Trim()) { '    ' + ($line -replace '`', '') } else { '' }))
    }
    $out.ToString()
}

Export-ModuleMember -Function Read-HelpMarkdown, Test-HelpPage, ConvertTo-Maml, ConvertTo-AboutText, Get-DocumentedParameter
