#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Run with: ./build.ps1 -Task Test   (or Invoke-Pester ./tests/pester after ./build.ps1)

BeforeAll {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'LlmTools', 'LlmTools.psd1')) -Force
}

Describe 'Measure-LlmTokens' {
    It 'counts like tiktoken for <Model>' -ForEach @(
        @{ Model = 'gpt-4o'; Text = 'お誕生日おめでとう'; Expected = 8 }
        @{ Model = 'gpt-4'; Text = 'お誕生日おめでとう'; Expected = 9 }
        @{ Model = 'gpt-4o'; Text = 'tiktoken is great!'; Expected = 6 }
    ) {
        ($Text | Measure-LlmTokens -Model $Model).Tokens | Should -Be $Expected
    }

    It 'counts files piped from Get-ChildItem' {
        Set-Content -Path TestDrive:/a.md -Value 'hello world' -NoNewline
        $result = Get-ChildItem TestDrive:/*.md | Measure-LlmTokens -Model gpt-4o
        $result.Tokens | Should -Be 2
        $result.Path | Should -BeLike '*a.md'
    }

    It 'reports a missing file and still counts the rest' {
        Set-Content -Path TestDrive:/b.md -Value 'hello world' -NoNewline
        $result = Measure-LlmTokens -LiteralPath TestDrive:/nope.md, TestDrive:/b.md -Model gpt-4o -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.Tokens | Should -Be 2
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
    }

    It 'counts a whole chat' {
        $chat = @(
            @{ role = 'system'; content = 'You are terse.' }
            @{ role = 'user'; content = 'hello world' }
        )
        (Measure-LlmTokens -Messages $chat -Model gpt-4o).Tokens | Should -BeGreaterThan 8
    }

    It 'warns about an unknown model' {
        $null = Measure-LlmTokens -Text 'hi' -Model 'my-local-model' -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Not -BeNullOrEmpty
    }
}
