#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Run with: ./build.ps1 -Task Test   (or Invoke-Pester ./tests/pester after ./build.ps1)
# Get-LlmEmbedding from real pwsh against LoopbackServer.psm1, a local OpenAI / Azure OpenAI server: the behaviours
# tests/LlmTools.Tests/Cmdlets/GetLlmEmbeddingTests.cs and ResponseCacheTests.cs check in hosted PowerShell.

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'LlmTools', 'LlmTools.psd1')) -Force
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'LoopbackServer.psm1')) -Force
    $Key = 'fake-test-0123456789abcdefSECRET'
}

Describe 'Get-LlmEmbedding against a loopback server' {
    BeforeAll {
        $server = Start-LoopbackServer

        $savedEnvironment = Enter-LlmTestEnvironment -TestDrive $TestDrive

        $workFolder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'work') -Force
        Push-Location -LiteralPath $workFolder.FullName
    }

    AfterAll {
        Pop-Location
        Stop-LoopbackServer $server
        Exit-LlmTestEnvironment -Saved $savedEnvironment
    }

    AfterEach {
        $server.State.Errors | Should -BeNullOrEmpty -Because 'the loopback server itself must not fail'
    }

    BeforeEach {
        Clear-LoopbackServer $server
        # why a cache folder per test: embeddings are always cached, so each test starts with none
        @(
            '[OpenAI]', 'WAITING_TIME=0', 'MAX_ATTEMPTS=5'
            '[LlmTools]', "ENDPOINT=$($server.OpenAIEndpoint)", "CACHE_DIR=$(Join-Path $TestDrive "cache-$([guid]::NewGuid().ToString('N'))")"
        ) | Set-Content -LiteralPath (Join-Path $workFolder.FullName 'config.ini')
    }

    It 'sends 250 texts in batches of 100, answers in input order, and a re-run sends nothing' {
        $texts = 1..250 | ForEach-Object { "text number $_" }

        $embeddings = $texts | Get-LlmEmbedding -ApiKey $Key -BatchSize 100

        $requests = @(Get-LoopbackRequest $server -Route Embeddings)
        $requests.Count | Should -Be 3
        $requests | ForEach-Object { @($_.Json.input).Count } | Should -Be @(100, 100, 50)
        $embeddings.Count | Should -Be 250
        $embeddings.Text | Should -Be $texts
        $embeddings.Index | Should -Be (0..249)
        $embeddings.Cached | Should -Not -Contain $true
        $embeddings[0] | Should -BeOfType 'LlmTools.Output.LlmEmbedding'
        $embeddings[0].Vector | Should -Be (Get-LoopbackEmbedding 'text number 1')
        $embeddings[249].Vector | Should -Be (Get-LoopbackEmbedding 'text number 250')

        Clear-LoopbackServer $server
        $again = $texts | Get-LlmEmbedding -ApiKey $Key -BatchSize 100

        Get-LoopbackRequest $server | Should -BeNullOrEmpty
        $again.Count | Should -Be 250
        $again.Cached | Should -Not -Contain $false
        $again[249].Vector | Should -Be $embeddings[249].Vector
    }

    It 'sends only the texts it has not seen, and keeps input order' {
        $null = 't1', 't2' | Get-LlmEmbedding -ApiKey $Key
        Clear-LoopbackServer $server

        $mixed = 'new-a', 't1', 'new-b', 't2' | Get-LlmEmbedding -ApiKey $Key

        $mixed.Text | Should -Be @('new-a', 't1', 'new-b', 't2')
        $mixed.Cached | Should -Be @($false, $true, $false, $true)
        $request = @(Get-LoopbackRequest $server)
        $request.Count | Should -Be 1
        $request[0].Json.input | Should -Be @('new-a', 'new-b')
    }

    It 'binds the Text column of Import-Csv rows and hands each row back as InputObject' {
        @(
            [pscustomobject]@{ Id = 7; Text = 'alpha' }
            [pscustomobject]@{ Id = 8; Text = 'beta' }
        ) | Export-Csv -LiteralPath (Join-Path $TestDrive 'docs.csv')

        $embeddings = Import-Csv -LiteralPath (Join-Path $TestDrive 'docs.csv') | Get-LlmEmbedding -ApiKey $Key -Dimensions 16

        $embeddings.InputObject.Id | Should -Be @('7', '8')
        $embeddings.Dimensions | Should -Be @(16, 16)
        $embeddings[1].Vector | Should -Be (Get-LoopbackEmbedding 'beta' -Dimensions 16)
        $body = (Get-LoopbackRequest $server)[0].Json
        $body.dimensions | Should -Be 16
        $body.model | Should -Be 'text-embedding-3-small'
    }

    It 'fails an empty and a too long text alone and never sends them' {
        $long = (@('token') * 9000) -join ' '

        $embeddings = 'first', '', $long, 'last' | Get-LlmEmbedding -ApiKey $Key -ErrorVariable problems -ErrorAction SilentlyContinue

        $embeddings.Text | Should -Be @('first', 'last')
        $embeddings.Index | Should -Be @(0, 3)
        $problems | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Should -Be @('InvalidInput', 'InputTooLong')
        $problems[1].Exception.Message | Should -BeLike '*8191*'
        $request = @(Get-LoopbackRequest $server)
        $request.Count | Should -Be 1
        $request[0].Json.input | Should -Be @('first', 'last')
    }

    It 'reports each item of a failed batch and goes on with the next batch' {
        Add-LoopbackFault $server -StatusCode 400 -Message 'bad batch' -Route Embeddings

        $embeddings = 'a', 'b', 'c' | Get-LlmEmbedding -ApiKey $Key -BatchSize 2 -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.TargetObject | Should -Be @('a', 'b')
        $problems | ForEach-Object { $_.Exception.Message | Should -BeLike '*bad batch*' }
        $embeddings.Text | Should -Be 'c'
    }

    It 'retries a rate limit like chat does' {
        Add-LoopbackFault $server -StatusCode 429 -RetryAfter 0 -Route Embeddings

        $embedding = Get-LlmEmbedding 'hello' -ApiKey $Key -ErrorVariable problems

        $problems | Should -BeNullOrEmpty
        $embedding.Text | Should -Be 'hello'
        @(Get-LoopbackRequest $server -Route Embeddings).Count | Should -Be 2
    }

    It 'addresses an Azure deployment' {
        $embeddings = Get-LlmEmbedding 'hello', 'world' -Provider Azure -Endpoint $server.AzureEndpoint -Model emb-deploy -ApiKey $Key

        $embeddings.Count | Should -Be 2
        $request = @(Get-LoopbackRequest $server)
        $request.Count | Should -Be 1
        $request[0].Path | Should -Be '/openai/deployments/emb-deploy/embeddings'
        $request[0].Headers['api-key'] | Should -Be $Key
    }

    It 'compares two embeddings by cosine similarity' {
        $a, $b = Get-LlmEmbedding 'same', 'other' -ApiKey $Key

        $a.CosineSimilarity($a) | Should -BeGreaterThan 0.999999
        $a.CosineSimilarity($b) | Should -BeLessThan 0.999
        $a.CosineSimilarity($b) | Should -BeGreaterOrEqual -1
        # the server's vectors have unit length, so their cosine is their dot product
        $x = Get-LoopbackEmbedding 'same'
        $y = Get-LoopbackEmbedding 'other'
        $dot = 0.0
        for ($i = 0; $i -lt $x.Length; $i++) { $dot += [double]$x[$i] * $y[$i] }
        [Math]::Abs($a.CosineSimilarity($b) - $dot) | Should -BeLessThan 1e-5
    }
}
