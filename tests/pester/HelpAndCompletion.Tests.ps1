#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Smoke test, offline: what a pwsh user finds before the first call. Get-Help for every exported cmdlet and tab
# completion of -Model. tests/LlmTools.Tests/Module/HelpTests.cs checks the help in depth.
# Run after a build: Invoke-Pester ./tests/pester (or ./build.ps1 -Task Test).

BeforeDiscovery {
    $manifest = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'LlmTools', 'LlmTools.psd1')
    $cmdlets = (Import-PowerShellDataFile -LiteralPath $manifest).CmdletsToExport
    # why not Get-LlmEmbedding: it completes embedding models only (tested below); Get-LlmConfig, Clear-LlmUsage,
    # Get-LlmModel (it filters by -Name) and the batch cmdlets (a job names its model) have no -Model
    $chatModelCmdlets = $cmdlets | Where-Object { $_ -notin 'Get-LlmEmbedding', 'Get-LlmConfig', 'Clear-LlmUsage', 'Get-LlmModel', 'Get-LlmBatch', 'Receive-LlmBatch', 'Stop-LlmBatch' }
}

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'TestSupport.psm1')) -Force
    $saved = Enter-HermeticEnvironment -Folder $TestDrive
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'LlmTools', 'LlmTools.psd1')) -Force
}

AfterAll {
    Exit-HermeticEnvironment $saved
}

Describe 'Get-Help' {
    It '<_> has a synopsis and examples' -ForEach $cmdlets {
        $help = Get-Help $_ -Full

        # why: without a help file Get-Help makes a synopsis up from the syntax, starting with the name
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$_*"
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $help.examples.example[0].code | Should -Not -BeNullOrEmpty
    }
}

Describe 'Tab completion' {
    It '<_> -Model completes model names, offline' -ForEach $chatModelCmdlets {
        $line = "$_ -Model gpt-4o"

        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText

        $completions | Should -Contain 'gpt-4o'
        $completions | Should -Contain 'gpt-4o-mini'
        $completions | ForEach-Object { $_ | Should -BeLike 'gpt-4o*' }
    }

    It 'offers chat models to Send-LlmMessage and embedding models to Get-LlmEmbedding' {
        $chatLine, $embeddingLine = 'Send-LlmMessage -Model ', 'Get-LlmEmbedding -Model '
        $chat = (TabExpansion2 -inputScript $chatLine -cursorColumn $chatLine.Length).CompletionMatches.CompletionText
        $embedding = (TabExpansion2 -inputScript $embeddingLine -cursorColumn $embeddingLine.Length).CompletionMatches.CompletionText

        $chat | Should -Contain 'gpt-4o'
        $chat | Should -Not -Contain 'text-embedding-3-small'
        $embedding | Should -Contain 'text-embedding-3-small'
        $embedding | ForEach-Object { $_ | Should -BeLike 'text-embedding-*' }
    }
}
