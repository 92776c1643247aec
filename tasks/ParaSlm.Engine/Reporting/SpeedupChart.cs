using System.Globalization;
using System.Net;
using System.Text;

namespace ParaSlm.Engine.Reporting;

/// <summary>
/// speedups.svg: a grouped bar chart (one group per kernel plus the geomean, one bar per variant), with the serial
/// baseline (1×) and the machine's ceiling (the calibration loop's speedup) as reference lines. Cells that did not run
/// are marked × with the reason as a tooltip; a differing checksum is outlined in red and marked ✗. Plain SVG text,
/// no dependencies.
/// </summary>
public static class SpeedupChart
{
    private static readonly string[] Palette =
        ["#c7c7c7", "#8c8c8c", "#1f77b4", "#74a9cf", "#ff7f0e", "#2ca02c", "#d62728", "#f4a6a6", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

    private const int Bar = 11, GroupGap = 18, Left = 56, Right = 16, Top = 34, PlotHeight = 300, Bottom = 34, LegendRow = 18, LegendColumn = 190, MinWidth = 820;

    public static string Render(EvaluationReport report)
    {
        var variants = report.Variants.Select(v => v.Name).ToList();
        var groups = report.Kernels.Select(k => (Label: k.Name, Cells: variants.Select(v => k.Cells.First(c => c.Variant == v)).Select(c =>
            (c.Speedup, Ok: c.Status == CellStatus.Ok, Status: c.Status, Tip: $"{k.Name} · {c.Variant}: " + Tip(c))).ToList())).ToList();
        groups.Add(("geomean", report.GeoMeans.Select(g => (g.Speedup, Ok: g.Speedup is not null, Status: CellStatus.Ok,
            Tip: $"geomean · {g.Variant}: {(g.Speedup is { } s ? F(s) + "x" : "no kernel")} over {g.Kernels} of {g.Of} kernels")).ToList()));

        var groupWidth = variants.Count * Bar + GroupGap;
        var width = Math.Max(MinWidth, Left + groups.Count * groupWidth + Right);
        var ceiling = report.Calibration.Speedup;
        // Legend entries: one per variant, then the two reference lines.
        var legendCount = variants.Count + 1 + (ceiling is null ? 0 : 1);
        var legendPerRow = Math.Max(1, (width - Left) / LegendColumn);
        var legendRows = (legendCount + legendPerRow - 1) / legendPerRow;
        var top = Top + legendRows * LegendRow + 8;
        var height = top + PlotHeight + Bottom;
        var max = new[] { 1.0, ceiling ?? 1.0 }.Concat(groups.SelectMany(g => g.Cells).Where(c => c.Speedup is not null).Select(c => c.Speedup!.Value)).Max() * 1.08;
        var step = NiceStep(max);
        max = Math.Ceiling(max / step) * step;
        double Y(double v) => top + PlotHeight - v / max * PlotHeight;

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">Speedup over the faster serial build (gcc/clang -O3), {report.Threads} threads, median of {report.Runs} alternating runs</text>\n");

        // Legend.
        for (var i = 0; i < legendCount; i++)
        {
            var x = Left + i % legendPerRow * LegendColumn;
            var y = Top + i / legendPerRow * LegendRow;
            if (i < variants.Count)
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{Color(i)}\"/><text x=\"{x + 14}\" y=\"{y}\">{Esc(variants[i])}</text>\n");
            else if (i == variants.Count)
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{y - 4}\" x2=\"{x + 10}\" y2=\"{y - 4}\" stroke=\"#000\" stroke-dasharray=\"3 2\"/><text x=\"{x + 14}\" y=\"{y}\">serial baseline (1x)</text>\n");
            else
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{y - 4}\" x2=\"{x + 10}\" y2=\"{y - 4}\" stroke=\"#2ca02c\" stroke-dasharray=\"2 2\"/><text x=\"{x + 14}\" y=\"{y}\">machine ceiling {F(ceiling!.Value)}x</text>\n");
        }

        // Axis, grid and ticks.
        for (var v = 0.0; v <= max + 1e-9; v += step)
        {
            var y = Y(v);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{width - Right}\" y2=\"{F(y)}\" stroke=\"#eeeeee\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{F(v)}x</text>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{top}\" x2=\"{Left}\" y2=\"{top + PlotHeight}\" stroke=\"#444\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14 {top + PlotHeight / 2}) rotate(-90)\" text-anchor=\"middle\">speedup</text>\n");

        // Bars.
        for (var g = 0; g < groups.Count; g++)
        {
            var x0 = Left + g * groupWidth + GroupGap / 2;
            if (groups[g].Label == "geomean")
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0 - GroupGap / 2 + 2}\" y=\"{top}\" width=\"{groupWidth - 4}\" height=\"{PlotHeight}\" fill=\"#f6f6f6\"/>\n");
            for (var i = 0; i < groups[g].Cells.Count; i++)
            {
                var c = groups[g].Cells[i];
                var x = x0 + i * Bar;
                if (c.Speedup is { } s)
                {
                    var y = Y(s);
                    var stroke = c.Status == CellStatus.ChecksumDiffers ? " stroke=\"#d00000\" stroke-width=\"2\"" : "";
                    sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{F(y)}\" width=\"{Bar - 1}\" height=\"{F(top + PlotHeight - y)}\" fill=\"{Color(i)}\"{stroke}><title>{Esc(c.Tip)}</title></rect>");
                    if (c.Status == CellStatus.ChecksumDiffers)
                        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + Bar / 2}\" y=\"{F(y - 3)}\" text-anchor=\"middle\" fill=\"#d00000\">✗</text>");
                    if (groups[g].Label == "geomean")
                        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({x + Bar / 2 + 3} {F(y - 4)}) rotate(-90)\" font-size=\"9\">{F(s)}</text>");
                    sb.Append('\n');
                }
                else
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + Bar / 2}\" y=\"{top + PlotHeight - 3}\" text-anchor=\"middle\" fill=\"#999\">×<title>{Esc(c.Tip)}</title></text>\n");
                }
            }
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + variants.Count * Bar / 2}\" y=\"{top + PlotHeight + 16}\" text-anchor=\"middle\"{(groups[g].Label == "geomean" ? " font-weight=\"bold\"" : "")}>{Esc(groups[g].Label)}</text>\n");
        }

        // Reference lines on top of the bars.
        var one = Y(1);
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(one)}\" x2=\"{width - Right}\" y2=\"{F(one)}\" stroke=\"#000\" stroke-dasharray=\"5 3\"><title>serial baseline (1x)</title></line>\n");
        if (ceiling is { } ce)
        {
            var y = Y(ce);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{width - Right}\" y2=\"{F(y)}\" stroke=\"#2ca02c\" stroke-dasharray=\"2 2\"><title>machine ceiling: a perfectly parallel loop runs {F(ce)}x faster on {report.Threads} threads than on 1</title></line>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{top + PlotHeight}\" x2=\"{width - Right}\" y2=\"{top + PlotHeight}\" stroke=\"#444\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{height - 4}\" font-size=\"10\" fill=\"#666\">× = not run (hover for the reason); red outline ✗ = checksum differs from the serial build</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Tip(Cell c) => c.Status switch
    {
        CellStatus.Ok => $"{F(c.Speedup ?? 0)}x ({c.Median:F3} s)",
        CellStatus.ChecksumDiffers => $"{F(c.Speedup ?? 0)}x ({c.Median:F3} s), CHECKSUM DIFFERS: {c.Reason}",
        _ => $"{c.Status}: {c.Reason}",
    };

    private static string Color(int i) => Palette[i % Palette.Length];

    private static double NiceStep(double max) => max <= 2.5 ? 0.25 : max <= 5 ? 0.5 : max <= 10 ? 1 : Math.Pow(10, Math.Floor(Math.Log10(max / 2)));

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
