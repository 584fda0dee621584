using System.Management.Automation.Language;
using LlmTools.Tests.Hosting;

namespace LlmTools.Tests.Module;

public sealed class PesterFilesTests
{
    public static TheoryData<string> PesterFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "pester"), "*.Tests.ps1"))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PesterFiles))]
    public void Pester_file_parses_without_errors(string name)
    {
        Parser.ParseFile(Path.Combine(RepoPaths.Root, "tests", "pester", name), out _, out var errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void Build_script_parses_without_errors()
    {
        Parser.ParseFile(Path.Combine(RepoPaths.Root, "build.ps1"), out _, out var errors);

        Assert.Empty(errors);
    }
}
