using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Templates;

namespace LlmTools.Engine.Tests.Templates;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Placeholders_are_filled_case_insensitively_and_spaces_are_allowed()
    {
        var template = new PromptTemplate("Classify {{ Title }} for {{team}} ({{Title}})");
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["title"] = "VPN down", ["TEAM"] = "ops" };

        var text = template.Render(name => (values.TryGetValue(name, out var v), v));

        Assert.Equal("Classify VPN down for ops (VPN down)", text);
        Assert.Equal(["Title", "team"], template.Names);
    }

    [Fact]
    public void Missing_placeholders_are_named_in_the_error()
    {
        var template = new PromptTemplate("{{a}} {{b}} {{c}}");

        var ex = Assert.Throws<LlmException>(() => template.Render(name => (name == "a", "x")));

        Assert.Equal(LlmErrorId.TemplateVariableMissing, ex.ErrorId);
        Assert.Contains("{{b}}, {{c}}", ex.Message);
    }

    [Fact]
    public void Values_are_not_re_expanded()
    {
        var text = new PromptTemplate("{{a}}").Render(_ => (true, "{{a}} $1"));

        Assert.Equal("{{a}} $1", text);
    }
}
