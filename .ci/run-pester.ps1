# Runs tests/pester with Pester 5 and prints one line "pester: N passed, N failed" for .ci/run to add up.
$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.0.0
$configuration = New-PesterConfiguration
$configuration.Run.Path = [System.IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'pester')
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $configuration
"pester: $($result.PassedCount) passed, $($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount) failed"
