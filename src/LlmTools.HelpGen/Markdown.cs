namespace LlmTools.HelpGen;

/// <summary>One line of a markdown file, with its 1-based number for error messages.</summary>
public sealed record MarkdownLine(int Number, string Text);

/// <summary>A heading (#, ## or ###) with the lines under it and its subsections.</summary>
public sealed class MarkdownSection(int level, string title, int line)
{
    public int Level { get; } = level;

    public string Title { get; } = title;

    public int Line { get; } = line;

    public List<MarkdownLine> Body { get; } = [];

    public List<MarkdownSection> Children { get; } = [];
}

/// <summary>A paragraph (its lines joined by spaces) or a fenced code block (its lines as they are).</summary>
public sealed record MarkdownBlock(int Line, string Text, string? FenceInfo)
{
    public bool IsFence => FenceInfo is not null;
}

/// <summary>
/// The little markdown the help files use: headings up to ###, paragraphs and ``` fences. Nothing else is
/// interpreted; text goes to Get-Help as written.
/// </summary>
public static class Markdown
{
    /// <summary>Splits a file into its # title and the ## and ### sections under it.</summary>
    public static MarkdownSection Parse(string file, IReadOnlyList<string> lines, List<HelpError> errors)
    {
        var root = new MarkdownSection(0, string.Empty, 0);
        MarkdownSection? title = null, section = null, subsection = null;
        var inFence = false;
        var fenceLine = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var text = lines[i].TrimEnd();
            var line = new MarkdownLine(i + 1, text);
            if (text.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                fenceLine = line.Number;
            }
            else if (!inFence && Heading(text) is var (level, name) && level > 0)
            {
                var heading = new MarkdownSection(level, name, line.Number);
                switch (level)
                {
                    case 1 when title is null:
                        title = heading;
                        root.Children.Add(heading);
                        break;
                    case 1:
                        errors.Add(new HelpError(file, line.Number, $"a second '# {name}' title; a help file has one"));
                        break;
                    case 2 when title is not null:
                        section = heading;
                        subsection = null;
                        title.Children.Add(heading);
                        break;
                    case 3 when section is not null:
                        subsection = heading;
                        section.Children.Add(heading);
                        break;
                    default:
                        errors.Add(new HelpError(file, line.Number, $"heading '{text}' is outside a section; start with '# <name>' and '## <SECTION>'"));
                        break;
                }

                continue;
            }

            (subsection ?? section ?? title ?? root).Body.Add(line);
        }

        if (inFence)
        {
            errors.Add(new HelpError(file, fenceLine, "a ``` code fence is never closed"));
        }

        if (title is null)
        {
            errors.Add(new HelpError(file, 1, "no '# <name>' title line"));
            return root;
        }

        if (root.Body.Concat(title.Body).FirstOrDefault(l => l.Text.Length > 0) is { } stray)
        {
            errors.Add(new HelpError(file, stray.Number, "text before the first '## <SECTION>' heading"));
        }

        return title;
    }

    /// <summary>The paragraphs and fenced blocks of a section's body, blank lines between them dropped.</summary>
    public static List<MarkdownBlock> Blocks(IEnumerable<MarkdownLine> body)
    {
        var blocks = new List<MarkdownBlock>();
        var current = new List<MarkdownLine>();
        string? fence = null;
        var fenceStart = 0;
        foreach (var line in body)
        {
            var trimmed = line.Text.Trim();
            if (fence is not null)
            {
                if (trimmed.StartsWith("```", StringComparison.Ordinal))
                {
                    blocks.Add(new MarkdownBlock(fenceStart, string.Join("\n", current.Select(l => l.Text)), fence));
                    current.Clear();
                    fence = null;
                }
                else
                {
                    current.Add(line);
                }
            }
            else if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                fence = trimmed[3..].Trim();
                fenceStart = line.Number;
            }
            else if (trimmed.Length == 0)
            {
                Flush();
            }
            else
            {
                current.Add(line);
            }
        }

        if (fence is not null)
        {
            blocks.Add(new MarkdownBlock(fenceStart, string.Join("\n", current.Select(l => l.Text)), fence));
        }
        else
        {
            Flush();
        }

        return blocks;

        void Flush()
        {
            if (current.Count > 0)
            {
                blocks.Add(new MarkdownBlock(current[0].Number, string.Join(" ", current.Select(l => l.Text.Trim())), null));
                current.Clear();
            }
        }
    }

    private static (int Level, string Name) Heading(string text)
    {
        var level = 0;
        while (level < text.Length && text[level] == '#')
        {
            level++;
        }

        return level is >= 1 and <= 3 && level < text.Length && text[level] == ' ' ? (level, text[(level + 1)..].Trim()) : (0, string.Empty);
    }
}
