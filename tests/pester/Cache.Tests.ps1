#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Run with: ./build.ps1 -Task Test   (or Invoke-Pester ./tests/pester after ./build.ps1)

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'LlmTools', 'LlmTools.psd1')) -Force
    $savedCacheDir = $env:LLMTOOLS_CACHE_DIR

    # Writes one entry in the cache's file format 1 (<dir>/<first 2 hex>/<key>.json), as the module does after an answer.
    function Add-TestCacheEntry {
        param([string] $Model, [datetime] $Created, [string] $Kind = 'chat', [string] $Preview = 'hello')
        $bytes = [System.Text.Encoding]::UTF8.GetBytes("$Kind/$Model/$($Created.Ticks)/$Preview")
        $key = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
        $folder = Join-Path $env:LLMTOOLS_CACHE_DIR $key.Substring(0, 2)
        $null = New-Item -ItemType Directory -Path $folder -Force
        [ordered]@{
            format = 1; key = $key; kind = $Kind; model = $Model; provider = 'OpenAI'; endpointHost = 'api.openai.com'
            created = $Created.ToUniversalTime().ToString('o'); preview = $Preview; payload = @{ text = "answer to $Preview" }
        } | ConvertTo-Json -Compress | Set-Content -LiteralPath (Join-Path $folder "$key.json") -NoNewline
        $key
    }
}

AfterAll {
    $env:LLMTOOLS_CACHE_DIR = $savedCacheDir
}

Describe 'Get-LlmCache and Clear-LlmCache' {
    BeforeEach {
        # why the environment variable: it moves the cache for this session, over any config.ini
        $env:LLMTOOLS_CACHE_DIR = Join-Path $TestDrive ([guid]::NewGuid())
        $old = Add-TestCacheEntry -Model 'gpt-4o' -Created (Get-Date).AddDays(-10) -Preview 'old question'
        $new = Add-TestCacheEntry -Model 'gpt-4o-mini' -Created (Get-Date).AddHours(-1) -Preview 'new question'
        $vector = Add-TestCacheEntry -Model 'text-embedding-3-small' -Created (Get-Date).AddDays(-3) -Kind embedding
    }

    It 'lists entries oldest first with model, kind and preview' {
        $entries = Get-LlmCache
        $entries.Key | Should -Be @($old, $vector, $new)
        $entries[0].Model | Should -Be 'gpt-4o'
        $entries[0].Preview | Should -Be 'old question'
        $entries[1].Kind | Should -Be 'embedding'
    }

    It 'filters by <Filter>' -ForEach @(
        @{ Filter = 'model wildcard'; Arguments = @{ Model = 'gpt-4o*' }; Expected = 2 }
        @{ Filter = 'kind'; Arguments = @{ Kind = 'embedding' }; Expected = 1 }
        @{ Filter = 'age'; Arguments = @{ OlderThan = New-TimeSpan -Days 2 }; Expected = 2 }
    ) {
        @(Get-LlmCache @Arguments).Count | Should -Be $Expected
    }

    It 'removes nothing with -WhatIf' {
        Clear-LlmCache -All -WhatIf
        @(Get-LlmCache).Count | Should -Be 3
    }

    It 'removes by model and age, and -PassThru tells what went' {
        $result = Clear-LlmCache -Model 'gpt-4o*' -OlderThan (New-TimeSpan -Days 5) -PassThru
        $result.Count | Should -Be 1
        $result.Bytes | Should -BeGreaterThan 100
        $result.CachePath | Should -Be $env:LLMTOOLS_CACHE_DIR
        (Get-LlmCache).Key | Should -Not -Contain $old
    }

    It 'removes exactly what Get-LlmCache pipes in' {
        Get-LlmCache -Kind embedding | Clear-LlmCache
        (Get-LlmCache).Key | Should -Be @($old, $new)
    }

    It 'refuses to run without a filter or -All' {
        { Clear-LlmCache -ErrorAction Stop } | Should -Throw -ErrorId 'CacheFilterRequired*'
        @(Get-LlmCache).Count | Should -Be 3
    }

    It 'lists an unreadable entry with a warning, and -All removes everything' {
        Set-Content -LiteralPath (Join-Path $env:LLMTOOLS_CACHE_DIR $old.Substring(0, 2) "$old.json") -Value '{"format":1,"key":"tru'
        $corrupt = Get-LlmCache -WarningVariable warnings -WarningAction SilentlyContinue | Where-Object IsCorrupt
        $corrupt.Key | Should -Be $old
        $warnings | Should -Not -BeNullOrEmpty
        (Clear-LlmCache -All -Confirm:$false -PassThru).Count | Should -Be 3
        Get-LlmCache | Should -BeNullOrEmpty
    }
}
