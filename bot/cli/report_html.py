"""A self-contained HTML report: inline SVG charts, no scripts, no CDN – it works offline."""

from __future__ import annotations

from html import escape

from bot.knowledge import KnowledgeBase
from bot.store.report import Period, Report

COLOURS = {"answer": "#2e7d32", "clarify": "#f9a825", "fallback": "#c62828"}
LABELS = {"answer": "Antwort", "clarify": "Rückfrage", "fallback": "Rückfall"}
WIDTH, HEIGHT, PAD = 720, 220, 30


def _bars(report: Report) -> str:
    """Questions per day, stacked by outcome."""
    days = report.per_day
    if not days:
        return "<p>Keine Fragen im Zeitraum.</p>"
    peak = max(d["total"] for d in days) or 1
    step = (WIDTH - 2 * PAD) / len(days)
    shapes = []
    for index, day in enumerate(days):
        x, bottom = PAD + index * step, HEIGHT - PAD
        for outcome in ("answer", "clarify", "fallback"):
            height = (HEIGHT - 2 * PAD) * day[outcome] / peak
            if height:
                bottom -= height
                shapes.append(
                    f'<rect class="bar {outcome}" x="{x:.1f}" y="{bottom:.1f}" width="{max(step * 0.8, 1):.1f}"'
                    f' height="{height:.1f}" fill="{COLOURS[outcome]}"><title>{escape(day["date"])}: '
                    f"{LABELS[outcome]} {day[outcome]}</title></rect>"
                )
    axis = f'<text x="{PAD}" y="{HEIGHT - 8}">{escape(days[0]["date"])}</text>'
    axis += f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" text-anchor="end">{escape(days[-1]["date"])}</text>'
    axis += f'<text x="4" y="{PAD}">{peak}</text>'
    return f'<svg id="per-day" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">{"".join(shapes)}{axis}</svg>'


def _rate_line(report: Report) -> str:
    """Share of questions answered outright, per day."""
    days = [d for d in report.per_day if d["total"]]
    if not days:
        return ""
    step = (WIDTH - 2 * PAD) / max(len(days) - 1, 1)
    points = [
        (PAD + i * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * d["answer"] / d["total"]) for i, d in enumerate(days)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = "".join(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1565c0"/>' for x, y in points)
    grid = f'<text x="4" y="{PAD}">100 %</text><text x="4" y="{HEIGHT - PAD}">0 %</text>'
    return (
        f'<svg id="answer-rate" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">'
        f'<polyline points="{path}" fill="none" stroke="#1565c0" stroke-width="2"/>{dots}{grid}</svg>'
    )


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: Report, kb: KnowledgeBase, period: Period) -> str:
    span = f"{period.since or 'Anfang'} bis {period.until or 'heute'}"
    legend = " ".join(f'<span style="color:{COLOURS[o]}">■ {LABELS[o]}</span>' for o in COLOURS)
    entries = _table(
        ["Eintrag", "Fragen", "👍", "👎"], [[e["entry"], e["count"], e["up"], e["down"]] for e in report.entries[:15]]
    )
    clusters = _table(
        ["Anzahl", "Beispiele", "nächster Eintrag"],
        [[c.count, " | ".join(c.examples[:3]), c.closest_entry or "–"] for c in report.unanswered[:15]],
    )
    checks = _table(["Ergebnis", "Anzahl"], [[result, count] for result, count in report.check_results.items()])
    checks_per_day = _table(
        ["Tag", "Ergebnis", "Anzahl"], [[row["date"], row["result"], row["count"]] for row in report.check_per_day]
    )
    answered = f"{report.rate('answer'):.0%}" if report.total else "–"
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Förderbot – Bericht {escape(kb.call.name)}</title>
<style>body{{font-family:sans-serif;max-width:760px;margin:2em auto;color:#222}}svg{{width:100%;height:auto;
background:#fafafa}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:4px;
text-align:left;vertical-align:top}}</style></head>
<body><h1>Förderbot: {escape(kb.call.name)}</h1><p>Zeitraum: {escape(span)} · {report.total} Fragen ·
Antwortquote {answered} · hilfreich {report.feedback["up"]} · nicht hilfreich {report.feedback["down"]}</p>
<h2>Fragen pro Tag</h2><p>{legend}</p>{_bars(report)}
<h2>Antwortquote pro Tag</h2>{_rate_line(report)}
<h2>Meistgefragte Einträge</h2>{entries}
<h2>Unbeantwortete Fragen</h2>{clusters}
<h2 id="check">Eignungs-Check: erreichte Ergebnisse</h2>{checks}
<h3>pro Tag</h3>{checks_per_day}
</body></html>
"""
