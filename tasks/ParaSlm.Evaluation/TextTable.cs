using System.Net;
using System.Text;

namespace ParaSlm.Evaluation;

/// <summary>A small table rendered both as Markdown (stdout, report.md) and as HTML (report.html).</summary>
public sealed class TextTable(IReadOnlyList<string> headers, IReadOnlyList<bool>? rightAligned = null)
{
    private readonly List<IReadOnlyList<string>> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public int Count => _rows.Count;

    /// <summary>Markdown with padded columns, so it reads well in a terminal too.</summary>
    public string ToMarkdown()
    {
        var widths = headers.Select((h, i) => Math.Max(3, _rows.Select(r => i < r.Count ? r[i].Length : 0).Append(h.Length).Max())).ToArray();
        var sb = new StringBuilder();
        void Row(IReadOnlyList<string> cells)
        {
            sb.Append('|');
            for (var i = 0; i < headers.Count; i++)
            {
                var c = (i < cells.Count ? cells[i] : "").Replace("|", "\\|", StringComparison.Ordinal);
                sb.Append(' ').Append(Right(i) ? c.PadLeft(widths[i]) : c.PadRight(widths[i])).Append(" |");
            }
            sb.Append('\n');
        }
        Row(headers);
        sb.Append('|');
        for (var i = 0; i < headers.Count; i++) sb.Append(Right(i) ? new string('-', widths[i] + 1) + ":|" : new string('-', widths[i] + 2) + "|");
        sb.Append('\n');
        foreach (var r in _rows) Row(r);
        return sb.ToString();
    }

    public string ToHtml()
    {
        var sb = new StringBuilder("<table>\n<thead><tr>");
        for (var i = 0; i < headers.Count; i++) sb.Append(Cell("th", headers[i], i));
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in _rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < headers.Count; i++) sb.Append(Cell("td", i < r.Count ? r[i] : "", i));
            sb.Append("</tr>\n");
        }
        return sb.Append("</tbody>\n</table>\n").ToString();
    }

    private string Cell(string tag, string text, int i)
    {
        var html = WebUtility.HtmlEncode(text.Replace("**", "", StringComparison.Ordinal));
        if (text.StartsWith("**", StringComparison.Ordinal)) html = "<b>" + html + "</b>";
        return $"<{tag}{(Right(i) ? " class=\"num\"" : "")}>{html}</{tag}>";
    }

    private bool Right(int i) => rightAligned is not null && i < rightAligned.Count && rightAligned[i];
}
