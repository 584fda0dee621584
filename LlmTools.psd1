@{
    RootModule           = 'LlmTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c3e8e-2b9a-4d3e-9a57-1c4f2b7d8e11'
    Author               = 'LlmTools contributors'
    CompanyName          = 'LlmTools'
    Copyright            = '(c) LlmTools contributors. MIT License.'
    Description          = 'Large language models from the PowerShell pipeline: chat completions (OpenAI, Azure OpenAI, any OpenAI-compatible server), embeddings, offline token counts and a crash-safe response cache.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('LlmTools.Format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @('Send-LlmMessage', 'Get-LlmEmbedding', 'Measure-LlmTokens', 'Get-LlmCache', 'Clear-LlmCache', 'Get-LlmConfig', 'Get-LlmUsage', 'Clear-LlmUsage', 'Get-LlmModel', 'Get-LlmBatch', 'Receive-LlmBatch', 'Stop-LlmBatch')
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('LLM', 'OpenAI', 'AzureOpenAI', 'ChatGPT', 'GPT', 'Embeddings', 'Tokenizer', 'tiktoken', 'AI', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/llmtools/LlmTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/llmtools/LlmTools'
            ReleaseNotes = 'https://github.com/llmtools/LlmTools/blob/main/README.md'
        }
    }
}
