<#
.SYNOPSIS
    Generates the module's help from docs/: LtxTrainer.Cmdlets.dll-Help.xml (MAML, beside the DLL) and
    en-US/about_*.help.txt. Fails when an exported cmdlet has no page, or a page lacks a synopsis, a
    description, an example, or the text of any parameter.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'LtxHelpMarkdown.psm1') -Force
$module = Import-Module $ModulePath -PassThru -Force

$pairs = [System.Collections.Generic.List[object]]::new()
$problems = [System.Collections.Generic.List[string]]::new()
foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $pagePath = Join-Path $DocsPath "$($command.Name).md"
    if (-not (Test-Path $pagePath)) { $problems.Add("$($command.Name): no help page $pagePath"); continue }
    $page = Read-HelpMarkdown -Path $pagePath
    foreach ($problem in Test-HelpPage -Page $page -Command $command) { $problems.Add("$($command.Name): $problem") }
    $pairs.Add([pscustomobject]@{ Page = $page; Command = $command })
}
if ($problems.Count) {
    $problems | ForEach-Object { Write-Host "help: $_" -ForegroundColor Red }
    throw "Help pages under $DocsPath are incomplete ($($problems.Count) problem(s))."
}

$dll = Split-Path $module.ImplementingAssembly.Location -Leaf
$maml = ConvertTo-Maml -Pairs $pairs.ToArray()
$mamlPath = Join-Path $OutputPath "$dll-Help.xml"
[System.IO.File]::WriteAllText($mamlPath, $maml, [System.Text.UTF8Encoding]::new($false))
Write-Host "help: $($pairs.Count) cmdlet(s) -> $mamlPath"

$culture = Join-Path $OutputPath 'en-US'
$null = New-Item -ItemType Directory -Force $culture
foreach ($about in Get-ChildItem $DocsPath -Filter 'about_*.md') {
    $target = Join-Path $culture ($about.BaseName + '.help.txt')
    Set-Content -Path $target -Value (ConvertTo-AboutText -Path $about.FullName) -Encoding utf8NoBOM
    Write-Host "help: $($about.Name) -> $target"
}
