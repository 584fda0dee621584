using System.Management.Automation;
using LlmTools.Tests.Hosting;

namespace LlmTools.Tests.Module;

public sealed class ManifestTests
{
    [Fact]
    public void Manifest_is_valid_and_exports_exactly_the_cmdlets()
    {
        using var ps = new ModuleRunspace();

        var result = ps.Invoke("Test-ModuleManifest -Path $args[0]", RepoPaths.ModuleManifest);

        Assert.Empty(result.Errors);
        var manifest = Assert.IsType<PSModuleInfo>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(new Version(7, 4), manifest.PowerShellVersion);
        Assert.Equal(["Core"], manifest.CompatiblePSEditions);
        Assert.NotNull(manifest.ProjectUri);
        Assert.NotNull(manifest.LicenseUri);
        // why: Get-Help -Online and the gallery page follow it; it must name a file this repository has
        Assert.EndsWith("/blob/main/LICENSE", manifest.LicenseUri!.AbsoluteUri);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "LICENSE")));
        Assert.Contains("OpenAI", manifest.Tags);
        var exported = ps.Invoke("(Get-Command -Module LlmTools).Name").Output.Select(o => o.ToString()).Order().ToArray();
        Assert.Equal(manifest.ExportedCmdlets.Keys.Order().ToArray(), exported);
        Assert.Contains("Measure-LlmTokens", exported);
    }

    [Fact]
    public void Module_folder_has_only_the_cmdlet_assembly_at_the_top()
    {
        var topBinaries = Directory.GetFiles(RepoPaths.ModuleDirectory, "*.dll").Select(Path.GetFileName);

        Assert.Equal(["LlmTools.dll"], topBinaries);
        Assert.True(File.Exists(Path.Combine(RepoPaths.ModuleDirectory, "config.ini")));
        Assert.True(File.Exists(Path.Combine(RepoPaths.ModuleDirectory, "Dependencies", "LlmTools.Engine.dll")));
        Assert.True(File.Exists(Path.Combine(RepoPaths.ModuleDirectory, "Dependencies", "OpenAI.dll")));
        Assert.False(
            Directory.EnumerateFiles(RepoPaths.ModuleDirectory, "System.Management.Automation.dll", SearchOption.AllDirectories).Any(),
            "PowerShellStandard's reference assembly must not ship");
    }
}
