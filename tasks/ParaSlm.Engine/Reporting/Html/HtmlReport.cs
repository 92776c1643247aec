using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ParaSlm.Engine;
using ParaSlm.Engine.Reporting;

namespace ParaSlm.Engine.Reporting.Html;

/// <summary>
/// `paraslm-report.html`: one self-contained file (inline CSS and script, no network): summary tiles, a per-file table,
/// a per-loop table with filters (text, decision, file; also from the URL fragment, e.g. `#decision=reverted`), the
/// reason in words, clauses, validation per loop and per variant, each loop's own diff, and the evaluation's speedup
/// chart when timings exist. The rows are built by the script from the data embedded in the page, so a page whose
/// script fails shows no loops (and says why) rather than a stale table.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "paraslm-report.html";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Escapes <, >, & and ' so that the data can never close its <script> element.
        Encoder = JavaScriptEncoder.Default,
    };

    public static string Render(ReportBundle b, RunSummary summary)
    {
        var r = b.Report;
        var data = new
        {
            Validated = r.Validation is not null,
            Files = r.Sources.Select(s => new { File = b.Relative(s.File), s.Status, s.Loops, s.Parallel, s.Message }),
            Loops = r.Sources.SelectMany(s => s.Plans.Select(p => new
            {
                File = b.Relative(s.File),
                p.Id,
                p.Line,
                p.Column,
                p.Function,
                Decision = ReportBundle.DecisionOf(p),
                p.Target,
                p.Clauses,
                p.RuntimeCheck,
                p.Origin,
                p.Strategy,
                p.Verdict,
                p.Reason,
                p.Code,
                p.Validation,
                Diff = b.ChangeOf(s.File, p.Id)?.Diff,
            })),
        };
        var json = JsonSerializer.Serialize(data, Json);
        var c = summary.Counts;
        var sb = new StringBuilder();
        sb.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>ParaSlm report</title>
            <style>
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1f24;background:#fff}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
            .meta{color:#57606a;margin-bottom:16px}
            .tiles{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
            .tile{border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:120px}
            .tile b{display:block;font-size:24px} .tile span{color:#57606a}
            .tile.parallel b{color:#1a7f37} .tile.reverted b{color:#cf222e}
            table{border-collapse:collapse;width:100%;margin:6px 0}
            th,td{border-bottom:1px solid #d8dee4;padding:5px 8px;text-align:left;vertical-align:top}
            th{background:#f6f8fa;position:sticky;top:0}
            td.num{text-align:right} code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}
            .d-parallel{color:#1a7f37;font-weight:600} .d-serial{color:#57606a} .d-reverted{color:#cf222e;font-weight:600}
            .filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:8px 0}
            .filters input{min-width:260px;padding:4px 8px} .filters select{padding:4px}
            pre.diff{font:12px ui-monospace,monospace;background:#f6f8fa;padding:8px;overflow:auto;margin:4px 0}
            pre.diff .add{color:#1a7f37} pre.diff .del{color:#cf222e} pre.diff .hunk{color:#8250df}
            #count{color:#57606a} .chart svg{max-width:100%;height:auto}
            </style>
            </head>
            <body>
            <h1>ParaSlm report</h1>
            """);
        sb.Append($"<div class=\"meta\">Mode <b>{E(r.Mode)}</b>, target <b>{E(r.Target)}</b>, strategy <b>{E(r.Strategy)}</b> · {E(r.Created.ToString("u"))} · engine {r.Seconds:F1} s · {E(summary.Tool)}</div>\n");
        sb.Append("<div class=\"tiles\">");
        Tile(sb, "files", c.Files.ToString(), "files");
        Tile(sb, "loops", c.Loops.ToString(), "loops");
        Tile(sb, "parallel", c.Parallel.ToString(), "parallel");
        Tile(sb, "serial", c.Serial.ToString(), "kept serial");
        if (r.Validation is not null) Tile(sb, "reverted", c.Reverted.ToString(), "reverted by validation");
        Tile(sb, "rewritten", c.RewrittenFiles.ToString(), "files rewritten");
        sb.Append("</div>\n");
        sb.Append("<noscript><p>This report builds its tables with JavaScript; <code>paraslm-report.md</code> beside it has the same content as text.</p></noscript>\n");

        sb.Append("<h2>Files</h2>\n<table id=\"files\"><thead><tr><th>file</th><th>status</th><th class=\"num\">loops</th><th class=\"num\">parallel</th></tr></thead><tbody></tbody></table>\n");

        sb.Append("<h2>Loops</h2>\n<div class=\"filters\"><input id=\"q\" type=\"search\" placeholder=\"filter: function, reason, clause…\">");
        sb.Append("<label>decision <select id=\"decision\"><option value=\"\">all</option><option>parallel</option><option>serial</option><option>reverted</option></select></label>");
        sb.Append("<label>file <select id=\"file\"><option value=\"\">all</option></select></label><span id=\"count\"></span></div>\n");
        sb.Append("<table id=\"loops\"><thead><tr><th>file</th><th class=\"num\">line</th><th>function</th><th>decision</th><th>clauses</th><th>reason</th>");
        if (r.Validation is not null) sb.Append("<th>validation</th>");
        sb.Append("<th>diff</th></tr></thead><tbody></tbody></table>\n");

        if (r.Validation is { } v)
        {
            sb.Append("<h2>Validation</h2>\n");
            var reverted = v.Loops.Count(l => l.Status == "reverted");
            sb.Append($"<p>{v.Loops.Count} parallel loops validated: {v.Loops.Count - reverted} kept, <b>{reverted} reverted</b> ({v.Seconds:F1} s).</p>\n");
            sb.Append("<table id=\"variants\"><thead><tr><th>variant</th><th>result</th><th class=\"num\">probes</th><th class=\"num\">test runs</th><th>threads</th><th class=\"num\">seconds</th><th>notes</th></tr></thead><tbody>\n");
            foreach (var x in v.Variants)
                sb.Append($"<tr><td>{E(x.Name)}</td><td>{E(x.Status)}</td><td class=\"num\">{x.Probes}</td><td class=\"num\">{x.Runs}</td><td>{E(string.Join(",", x.Threads))}</td><td class=\"num\">{x.Seconds:F1}</td><td>{E(x.Message ?? string.Empty)}</td></tr>\n");
            if (v.Final is { } f)
                sb.Append($"<tr><td>final program</td><td>{E(f.Status)}</td><td class=\"num\">—</td><td class=\"num\">{f.Runs}</td><td>{E(string.Join(",", f.Threads))}</td><td class=\"num\">{f.Seconds:F1}</td><td>{E(f.Message ?? string.Empty)}</td></tr>\n");
            sb.Append("</tbody></table>\n");
        }
        if (b.Evaluation is { } evaluation)
        {
            sb.Append("<h2>Speedups</h2>\n<div class=\"chart\">");
            sb.Append(SpeedupChart.Render(evaluation));
            sb.Append("</div>\n");
        }
        sb.Append("<script type=\"application/json\" id=\"paraslm-data\">").Append(json).Append("</script>\n");
        sb.Append(Script);
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Tile(StringBuilder sb, string kind, string value, string label) =>
        sb.Append($"<div class=\"tile {kind}\" data-tile=\"{kind}\"><b>{E(value)}</b><span>{E(label)}</span></div>");

    private static string E(string s) => WebUtility.HtmlEncode(s);

    // Plain DOM code (no framework, no network): builds the tables, applies the filters, shows diffs on demand.
    private const string Script = """
        <script>
        (function () {
          "use strict";
          var data = JSON.parse(document.getElementById("paraslm-data").textContent);
          var validated = data.validated;
          function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined && text !== null) e.textContent = text; return e; }
          function words(d) { return d === "parallel" ? "parallel" : d === "reverted" ? "reverted" : "serial"; }

          var files = document.querySelector("#files tbody");
          data.files.forEach(function (f) {
            var tr = el("tr"); tr.setAttribute("data-file", f.file);
            tr.appendChild(el("td", null, f.file));
            tr.appendChild(el("td", null, f.status + (f.message ? " — " + f.message : "")));
            tr.appendChild(el("td", "num", String(f.loops)));
            tr.appendChild(el("td", "num", String(f.parallel)));
            files.appendChild(tr);
          });

          var fileSelect = document.getElementById("file");
          data.files.forEach(function (f) { var o = el("option", null, f.file); o.value = f.file; fileSelect.appendChild(o); });

          var body = document.querySelector("#loops tbody");
          var rows = data.loops.map(function (l) {
            var tr = el("tr", "loop");
            tr.setAttribute("data-loop-id", l.id);
            tr.setAttribute("data-decision", l.decision);
            tr.setAttribute("data-file", l.file);
            tr.appendChild(el("td", null, l.file));
            tr.appendChild(el("td", "num", String(l.line)));
            tr.appendChild(el("td", null, l.function));
            var d = el("td", "d-" + l.decision, words(l.decision) + (l.decision === "parallel" ? " (" + l.target + ")" : ""));
            if (l.code) { d.appendChild(document.createTextNode(" ")); d.appendChild(el("code", null, l.code)); }
            tr.appendChild(d);
            var clauses = el("td");
            if (l.clauses) clauses.appendChild(el("code", null, l.clauses));
            if (l.runtimeCheck) { clauses.appendChild(document.createTextNode(" if ")); clauses.appendChild(el("code", null, l.runtimeCheck)); }
            if (!l.clauses && !l.runtimeCheck) clauses.textContent = "—";
            tr.appendChild(clauses);
            tr.appendChild(el("td", null, l.reason));
            if (validated) tr.appendChild(el("td", null, l.validation || "—"));
            var diff = el("td");
            if (l.diff) {
              var details = el("details"); details.appendChild(el("summary", null, "diff"));
              var pre = el("pre", "diff");
              l.diff.split("\n").forEach(function (line) {
                var cls = line.indexOf("@@") === 0 ? "hunk" : line.indexOf("+++") === 0 || line.indexOf("---") === 0 ? null : line[0] === "+" ? "add" : line[0] === "-" ? "del" : null;
                pre.appendChild(el("span", cls, line + "\n"));
              });
              details.appendChild(pre); diff.appendChild(details);
            } else { diff.textContent = "—"; }
            tr.appendChild(diff);
            tr.setAttribute("data-text", [l.file, l.function, l.reason, l.clauses, l.code || "", l.validation || ""].join(" ").toLowerCase());
            body.appendChild(tr);
            return tr;
          });

          var q = document.getElementById("q"), decision = document.getElementById("decision"), count = document.getElementById("count");
          function apply() {
            var text = q.value.trim().toLowerCase(), dv = decision.value, fv = fileSelect.value, shown = 0;
            rows.forEach(function (tr) {
              var ok = (!dv || tr.getAttribute("data-decision") === dv) && (!fv || tr.getAttribute("data-file") === fv) &&
                       (!text || tr.getAttribute("data-text").indexOf(text) >= 0);
              tr.hidden = !ok; if (ok) shown++;
            });
            count.textContent = shown + " of " + rows.length + " loops";
            document.body.setAttribute("data-shown", String(shown));
          }
          // A link may carry the filters: #decision=reverted&file=src/a.c&q=dependence
          (location.hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
            var i = kv.indexOf("="); if (i < 0) return;
            var k = decodeURIComponent(kv.slice(0, i)), v = decodeURIComponent(kv.slice(i + 1));
            if (k === "decision") decision.value = v; else if (k === "file") fileSelect.value = v; else if (k === "q") q.value = v;
          });
          [q, decision, fileSelect].forEach(function (c) { c.addEventListener("input", apply); c.addEventListener("change", apply); });
          apply();
          document.body.setAttribute("data-ready", "true");
        })();
        </script>

        """;
}
