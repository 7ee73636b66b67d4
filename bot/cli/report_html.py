"""A self-contained HTML report: inline SVG charts, no scripts, no CDN – it works offline."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.german import LOCALE, counted, percent, short_day
from bot.knowledge import KnowledgeBase
from bot.store.report import OUTCOMES, Period, Report

COLOURS = {"answer": "#2e7d32", "clarify": "#f9a825", "fallback": "#c62828"}
LABELS = {"answer": "Antwort", "clarify": "Rückfrage", "fallback": "Rückfall"}
RATE_COLOURS = {"answer": "#1565c0", "fallback": "#c62828"}
DEADLINE_COLOUR = "#6a1b9a"
WIDTH, HEIGHT, LEFT, PAD = 720, 240, 44, 30
X_LABELS = 7
AVERAGE_DAYS = 7
"""The rates are averaged over this many days: one day with a single question would swing 0–100 %."""


class _Frame:
    """Calendar days from the first to the last day with questions, mapped onto the chart."""

    def __init__(self, report: Report) -> None:
        first, last = (date.fromisoformat(report.per_day[i]["date"]) for i in (0, -1))
        self.days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        self.step = (WIDTH - LEFT - PAD) / len(self.days)

    def x(self, day: date) -> float:
        return LEFT + (day - self.days[0]).days * self.step

    @staticmethod
    def y(share: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * share

    def x_axis(self) -> str:
        every = max(1, round(len(self.days) / X_LABELS))
        shown = [day for day in self.days[::every] if (self.days[-1] - day).days >= every / 2 or day == self.days[0]]
        shown.append(self.days[-1])
        return "".join(
            f'<text class="x-label" x="{self.x(day) + self.step / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
            f"{escape(format_date(day, 'd. MMM', locale=LOCALE))}</text>"
            for day in dict.fromkeys(shown)
        )

    def y_axis(self, labels: list[tuple[float, str]]) -> str:
        return "".join(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - PAD}" y1="{self.y(share):.1f}" y2="{self.y(share):.1f}"'
            f' stroke="#ddd"/><text class="y-label" x="{LEFT - 4}" y="{self.y(share) + 4:.1f}" text-anchor="end">'
            f"{escape(text)}</text>"
            for share, text in labels
        )

    def deadlines(self, kb: KnowledgeBase) -> str:
        """A dashed line and the label for each deadline inside the period."""
        marks = []
        for deadline in kb.call.deadlines:
            if self.days[0] <= deadline.day <= self.days[-1]:
                x = self.x(deadline.day) + self.step / 2
                right = x > WIDTH * 0.6  # the label goes left of the line near the right edge
                anchor = f'x="{x - 4:.1f}" text-anchor="end"' if right else f'x="{x + 4:.1f}"'
                marks.append(
                    f'<line class="deadline" x1="{x:.1f}" x2="{x:.1f}" y1="{PAD - 12}" y2="{HEIGHT - PAD}"'
                    f' stroke="{DEADLINE_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
                    f'<text class="deadline-label" {anchor} y="{PAD - 14}" fill="{DEADLINE_COLOUR}">'
                    f"{escape(deadline.label)}</text>"
                )
        return "".join(marks)


def _bars(report: Report, kb: KnowledgeBase, frame: _Frame) -> str:
    """Questions per day, stacked by outcome."""
    peak = max(d["total"] for d in report.per_day) or 1
    shapes = []
    for day in report.per_day:
        x, bottom = frame.x(date.fromisoformat(day["date"])), HEIGHT - PAD
        for outcome in OUTCOMES:
            height = (HEIGHT - 2 * PAD) * day[outcome] / peak
            if height:
                bottom -= height
                shapes.append(
                    f'<rect class="bar {outcome}" x="{x:.1f}" y="{bottom:.1f}" width="{max(frame.step * 0.8, 1):.1f}"'
                    f' height="{height:.1f}" fill="{COLOURS[outcome]}"><title>{escape(day["date"])}: '
                    f"{LABELS[outcome]} {day[outcome]}</title></rect>"
                )
    grid = frame.y_axis([(0, "0"), (0.5, format_decimal(peak / 2, locale=LOCALE)), (1, str(peak))])
    return (
        f'<svg id="per-day" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">{grid}{"".join(shapes)}'
        f"{frame.deadlines(kb)}{frame.x_axis()}</svg>"
    )


def rolling_rates(report: Report, frame: _Frame, outcome: str) -> list[tuple[date, float]]:
    """Share of `outcome` over the last AVERAGE_DAYS calendar days, for each day with questions in them."""
    counts = {date.fromisoformat(d["date"]): d for d in report.per_day}
    rates = []
    for day in frame.days:
        window = [counts[d] for n in range(AVERAGE_DAYS) if (d := day - timedelta(days=n)) in counts]
        total = sum(d["total"] for d in window)
        if total:
            rates.append((day, sum(d[outcome] for d in window) / total))
    return rates


def _rate_lines(report: Report, kb: KnowledgeBase, frame: _Frame) -> str:
    """Answer and fallback rate, 7-day averages; the daily answer rate as faint dots."""
    middle = frame.step / 2
    dots = "".join(
        f'<circle class="point" cx="{frame.x(date.fromisoformat(d["date"])) + middle:.1f}"'
        f' cy="{frame.y(d["answer"] / d["total"]):.1f}" r="2.5" fill="#90caf9"/>'
        for d in report.per_day
        if d["total"]
    )
    lines = []
    for outcome, colour in RATE_COLOURS.items():
        points = " ".join(
            f"{frame.x(day) + middle:.1f},{frame.y(share):.1f}" for day, share in rolling_rates(report, frame, outcome)
        )
        lines.append(
            f'<polyline class="average {outcome}" points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )
    grid = frame.y_axis([(0, "0 %"), (0.5, "50 %"), (1, "100 %")])
    return (
        f'<svg id="answer-rate" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">{grid}{dots}{"".join(lines)}'
        f"{frame.deadlines(kb)}{frame.x_axis()}</svg>"
    )


def _table(headers: list[str], rows: list[list], total: int | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    more = f"<p>{escape(not_shown(len(rows), total))}</p>" if total is not None and total > len(rows) else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def not_shown(shown: int, total: int) -> str:
    """Under a list cut at --top: a hidden group may be the one with the 👎."""
    return f"… und {total - shown} weitere (alle mit --top {total})"


def _charts(report: Report, kb: KnowledgeBase) -> str:
    if not report.per_day:
        return "<p>Keine Fragen im Zeitraum.</p>"
    frame = _Frame(report)
    legend = " ".join(f'<span style="color:{COLOURS[o]}">■ {LABELS[o]}</span>' for o in OUTCOMES)
    deadline = f'<span style="color:{DEADLINE_COLOUR}">┆ Frist</span>'
    rates = (
        f'<span style="color:{RATE_COLOURS["answer"]}">━ Antwortquote</span> '
        f'<span style="color:{RATE_COLOURS["fallback"]}">━ Rückfallquote</span> '
        f'<span style="color:#90caf9">● Antwortquote des Tages</span> {deadline}'
    )
    return (
        f"<h2>Fragen pro Tag</h2><p>{legend} {deadline}</p>{_bars(report, kb, frame)}"
        f"<h2>Antwort- und Rückfallquote ({AVERAGE_DAYS}-Tage-Mittel)</h2><p>{rates}</p>"
        f"{_rate_lines(report, kb, frame)}"
    )


def render_html(report: Report, kb: KnowledgeBase, period: Period, top: int = 15) -> str:
    span = f"{period.since or 'Anfang'} bis {period.until or 'heute'}"
    entries = _table(
        ["Eintrag", "Frage", "Fragen", "👍 hilfreich", "👎 nicht hilfreich"],
        [
            [
                e["entry"],
                kb.by_id[e["entry"]].canonical if e["entry"] in kb.by_id else "–",
                e["count"],
                e["up"],
                e["down"],
            ]
            for e in report.entries[:top]
        ],
        len(report.entries),
    )
    clusters = _table(
        ["Anzahl", "Beispiele", "nächster Eintrag"],
        [[c.count, " | ".join(c.examples[:3]), c.closest_entry or "–"] for c in report.unanswered[:top]],
        len(report.unanswered),
    )
    checks = _table(["Ergebnis", "Anzahl"], [[result, count] for result, count in report.check_results.items()])
    checks_per_day = _table(
        ["Tag", "Ergebnis", "Anzahl"],
        [[short_day(date.fromisoformat(row["date"])), row["result"], row["count"]] for row in report.check_per_day],
    )
    noise = _table(
        ["Anzahl", "Beispiele"], [[c.count, " | ".join(c.examples[:3])] for c in report.noise[:top]], len(report.noise)
    )
    words = _table(
        ["Wort", "Fragen", "Beispiele"],
        [[w.word, w.count, " | ".join(w.examples)] for w in report.unknown_words[:top]],
        len(report.unknown_words),
    )
    answered = percent(report.rate("answer")) if report.total else "–"
    total = counted(report.total, "Frage", "Fragen")
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Förderbot – Bericht {escape(kb.call.name)}</title>
<style>body{{font-family:sans-serif;max-width:760px;margin:2em auto;color:#222}}svg{{width:100%;height:auto;
background:#fafafa;font-size:11px}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;
padding:4px;text-align:left;vertical-align:top}}</style></head>
<body><h1>Förderbot: {escape(kb.call.name)}</h1><p>Zeitraum: {escape(span)} · {total} ·
Antwortquote {answered} · 👍 hilfreich {report.feedback["up"]} · 👎 nicht hilfreich {report.feedback["down"]}</p>
{_charts(report, kb)}
<h2>Meistgefragte Einträge</h2>{entries}
<h2>Unbeantwortete Fragen</h2><p>Fragen nahe an der Wissensbasis und Antworten mit 👎: hier fehlt etwas.</p>{clusters}
<h2>Ohne Bezug zur Wissensbasis</h2><p>Kein Wort passte zu einem Eintrag (Tippfehler, andere Themen).</p>{noise}
<h2>Wörter, die die Wissensbasis nicht kennt</h2><p>In unbeantworteten Fragen; was dasselbe meint wie ein Wort der
Einträge, gehört nach <code>lexicon.yaml</code> oder <code>synonyms.yaml</code>.</p>{words}
<h2 id="check">Eignungs-Check: erreichte Ergebnisse</h2>{checks}
<h3>pro Tag</h3>{checks_per_day}
</body></html>
"""
