namespace LlmTools.HelpGen;

/// <summary>
/// Turns help/about_*.md into the about_*.help.txt that Get-Help shows: '# about_X' becomes the TOPIC, each
/// '## HEADING' a heading at the margin, and everything else is indented four spaces as written (so the
/// markdown's own line breaks and indented blocks stay); a ``` fenced block is indented eight.
/// </summary>
public static class AboutTopic
{
    public static readonly string[] RequiredSections = ["SHORT DESCRIPTION", "LONG DESCRIPTION"];

    public static string Convert(string file, IReadOnlyList<string> lines, List<HelpError> errors)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var output = new List<string>();
        var sections = new List<string>();
        var inFence = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (inFence)
            {
                output.Add(line.Length == 0 ? line : "        " + line);
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                if (output.Count > 0 || line[2..].Trim() != name)
                {
                    errors.Add(new HelpError(file, i + 1, $"the first line is the title, '# {name}', and there is only one"));
                }

                output.AddRange(["TOPIC", "    " + name]);
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                var heading = line[3..].Trim();
                sections.Add(heading);
                output.Add(heading);
            }
            else if (output.Count == 0 && line.Length > 0)
            {
                errors.Add(new HelpError(file, i + 1, $"the first line is the title, '# {name}'"));
            }
            else if (output.Count > 0)
            {
                output.Add(line.Length == 0 ? line : "    " + line);
            }
        }

        if (inFence)
        {
            errors.Add(new HelpError(file, lines.Count, "a ``` code fence is never closed"));
        }

        foreach (var missing in RequiredSections.Where(s => !sections.Contains(s)))
        {
            errors.Add(new HelpError(file, 0, $"missing section '## {missing}'"));
        }

        while (output.Count > 0 && output[^1].Length == 0)
        {
            output.RemoveAt(output.Count - 1);
        }

        return string.Join("\n", output) + "\n";
    }
}
