<#
.SYNOPSIS
    Builds, tests, installs or cleans the LlmTools module.
.DESCRIPTION
    Build   : dotnet build -c Release; the loadable module lands in ./out/LlmTools.
    Test    : builds, then runs every xunit test (engine + PowerShell-hosted) and, when Pester 5 is
              installed, the Pester tests in ./tests/pester.
    Install : builds, then copies ./out/LlmTools into your user module path so Import-Module LlmTools works.
    Clean   : removes ./out and every bin/obj folder.
.EXAMPLE
    ./build.ps1                 # Build
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Install; Import-Module LlmTools
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Install', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleOut = [System.IO.Path]::Combine($root, 'out', 'LlmTools')

function Invoke-Dotnet {
    param([string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            foreach ($dir in @('out') + @(Get-ChildItem -Path $root -Directory -Recurse -Include bin, obj | ForEach-Object FullName)) {
                $full = [System.IO.Path]::Combine($root, $dir)
                if (Test-Path -LiteralPath $full) { Remove-Item -LiteralPath $full -Recurse -Force }
            }
        }
        'Build' {
            Invoke-Dotnet @('build', [System.IO.Path]::Combine($root, 'LlmTools.sln'), '-c', $Configuration)
            Write-Host "Module built: $moduleOut"
        }
        'Test' {
            Invoke-Dotnet @('test', [System.IO.Path]::Combine($root, 'LlmTools.sln'), '-c', $Configuration)
            if (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0') {
                $result = Invoke-Pester -Path ([System.IO.Path]::Combine($root, 'tests', 'pester')) -PassThru -Output Detailed
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed" }
            } else {
                Write-Warning 'Pester 5 is not installed; skipped tests/pester (Install-Module Pester -MinimumVersion 5.0).'
            }
        }
        'Install' {
            Invoke-Dotnet @('build', [System.IO.Path]::Combine($root, 'LlmTools.sln'), '-c', $Configuration)
            $userModules = ($env:PSModulePath -split [System.IO.Path]::PathSeparator)[0]
            $version = (Import-PowerShellDataFile ([System.IO.Path]::Combine($moduleOut, 'LlmTools.psd1'))).ModuleVersion
            $target = [System.IO.Path]::Combine($userModules, 'LlmTools', $version)
            if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
            New-Item -ItemType Directory -Path $target -Force | Out-Null
            Copy-Item -Path ([System.IO.Path]::Combine($moduleOut, '*')) -Destination $target -Recurse
            Write-Host "Installed LlmTools $version to $target. Open a new session and run: Import-Module LlmTools"
        }
    }
}
