"""What operators see of a whole season: CSV for German Excel, the terminal, suggestions, HTML."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.cli.report_html import DEADLINE_COLOUR, RATE_COLOURS
from bot.cli.suggest import PLACEHOLDER_ANSWER, suggestions
from bot.store.clusters import Cluster
from bot.store.database import Database
from bot.store.querylog import EventRecord, QueryLog, QuestionRecord
from bot.store.report import Report

FIRST_DAY = date(2017, 1, 5)
DAYS = 45  # to 18 February: the deadline (17 February) lies inside
GAP = "Gibt es Förderung für eine Wärmepumpe?"
FAR = "wann muss ich die grundsteuer zahlen?"
NOISE = "asdf jklö"
LONE_FALLBACK_DAY = date(2017, 2, 18)


def question(text: str, outcome: str, at: datetime, entry: str | None, candidates: list) -> QuestionRecord:
    return QuestionRecord(
        ref=secrets.token_hex(6),
        asked_at=at.astimezone(UTC).isoformat(timespec="seconds"),
        user_key="k" * 32,
        chat_type="private",
        language="de",
        text=text,
        outcome=outcome,
        entry=entry,
        score=candidates[0]["score"] if candidates else 0.0,
        candidates=json.dumps(candidates),
        kb_version="abc",
    )


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """45 days of questions: mostly answered, some gaps, some noise, one day with a single fallback."""
    data = tmp_path_factory.mktemp("season")
    records = []
    for offset in range(DAYS - 1):
        day = datetime.combine(FIRST_DAY + timedelta(days=offset), datetime.min.time(), UTC) + timedelta(hours=9)
        for n in range(3 + offset % 5):
            answered = question("Wann ist die Frist?", "answer", day + timedelta(minutes=n), "frist-bewerbungsschluss",
                                [{"entry": "frist-bewerbungsschluss", "score": 92.5}])  # fmt: skip
            records.append(answered)
        if offset % 3 == 0:
            records.append(question(GAP, "fallback", day, None, [{"entry": "verfahren-bewerben", "score": 21.3}]))
        if offset % 4 == 0:
            records.append(question(FAR, "fallback", day, None, [{"entry": "foerderfaehige-kosten", "score": 23.5}]))
        if offset % 5 == 0:
            records.append(question(NOISE, "fallback", day, None, []))
    lone = datetime.combine(LONE_FALLBACK_DAY, datetime.min.time(), UTC) + timedelta(hours=12)
    records.append(question(GAP, "fallback", lone, None, [{"entry": "verfahren-bewerben", "score": 21.3}]))
    events = [EventRecord(records[0].ref, records[0].asked_at, "up", "frist-bewerbungsschluss")]

    async def write() -> None:
        log = QueryLog(Database(data))
        await log.open()
        for record in [*records, *events]:
            log.add(record)
        await log.flush()
        await log.close()
        await log.database.close()

    import asyncio

    asyncio.run(write())
    return data, records


def report(*args: str, data) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "report", "--data-dir", str(data), *args],
        capture_output=True,
        timeout=60,
    )


def test_csv_opens_in_german_excel_and_stays_plain_on_request(season, tmp_path):
    data, records = season
    excel = tmp_path / "excel.csv"
    assert report("--csv", str(excel), data=data).returncode == 0
    raw = excel.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not "FÃ¶rder…"
    lines = raw[3:].decode("utf-8").splitlines()
    assert lines[0].startswith("asked_at;chat_type;language;text;outcome")
    first = lines[1].split(";")
    assert first[0] == "2017-01-05 10:00:00"  # 09:00 UTC in Europe/Berlin, as Excel reads dates
    assert first[6] == "92,5"  # decimal comma
    assert len(lines) == len(records) + 1

    plain = report("--csv", "-", "--plain", data=data)
    assert plain.returncode == 0
    out = plain.stdout.decode("utf-8")
    assert not out.startswith("\ufeff")
    assert out.splitlines()[1].startswith("2017-01-05T10:00:00+01:00,private,de,")
    assert f"{len(records)} Fragen auf die Standardausgabe geschrieben" in plain.stderr.decode()

    piped = report("--csv", "-", data=data)
    assert piped.stdout.startswith(b"\xef\xbb\xbfasked_at;")


def test_csv_to_a_reader_that_stops_early_ends_quietly(season):
    """`report --csv - | head -1`: the rows' cursor is closed with the pipe, no asyncio error."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "report", "--data-dir", str(season[0]), "--csv", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.readline()
    process.stdout.close()  # like head after its first line
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in errors and "Task exception" not in errors, errors


def test_terminal_report_is_german_and_summarises_weeks(season):
    data, records = season
    out = report(data=data).stdout.decode("utf-8")
    total = f"{len(records):,}".replace(",", ".")
    first = out.splitlines()[0]
    assert (
        first.startswith(f"Fragen: {total} – Antwort ") and "Rückfrage 0 (0\u00a0%)" in first and "Rückfall " in first
    )
    assert "answer" not in first and "clarify" not in first
    assert "Fragen pro Woche" in out and "KW 1/2017 (02.01.–08.01.)" in out and "Fragen pro Tag" not in out
    assert "frist-bewerbungsschluss  Bis zu welchem Tag läuft die Bewerbungsfrist?" in out  # the id with its question
    assert "Unbeantwortet" in out and "Wärmepumpe" in out
    assert f"Ohne Bezug zur Wissensbasis: {sum(r.text == NOISE for r in records)} Fragen, z. B. {NOISE}" in out
    short = report("--since", "2017-02-01", "--until", "2017-02-07", data=data).stdout.decode("utf-8")
    assert "Fragen pro Tag" in short and "Mi. 1. Feb." in short


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2017-02-10", "--until", "2017-02-01"), "--since 2017-02-10 liegt nach --until 2017-02-01"),
        (("--top", "0"), "eine ganze Zahl ab 1"),
        (("--top", "-1"), "eine ganze Zahl ab 1"),
        (("suggest", "--json"), "report suggest schreibt YAML"),
        (("--plain",), "--plain gilt nur zusammen mit --csv"),
    ],
)
def test_impossible_report_arguments_are_refused(season, args, message):
    result = report(*args, data=season[0])
    assert result.returncode == 2
    assert message in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_noise_is_kept_apart_and_far_questions_name_no_entry(season):
    parsed = json.loads(report("--json", data=season[0]).stdout)
    gaps = {c["examples"][0]: c for c in parsed["unanswered"]}
    assert NOISE not in gaps and parsed["noise"][0]["examples"] == [NOISE]
    assert gaps[FAR]["closest_entry"] is None  # 23.5 points do not make it a cost question
    suggested = report("suggest", data=season[0]).stdout.decode()
    assert "foerderfaehige-kosten" not in suggested and NOISE not in suggested
    assert "topic: TODO" in suggested and "topic: scope" not in suggested


def test_words_the_knowledge_base_does_not_know_are_counted_for_the_lexicon(season, tmp_path):
    """Operators see which words of the unanswered questions no entry uses, by how many questions."""
    data, records = season
    parsed = json.loads(report("--json", data=data).stdout)
    words = {w["word"]: w for w in parsed["unknown_words"]}
    assert parsed["unknown_words"][0]["word"] == "Wärmepumpe"  # the most frequent gap first
    assert words["Wärmepumpe"]["count"] == sum(r.text == GAP for r in records)
    assert words["Wärmepumpe"]["examples"] == [GAP]  # each question once, not once per asking
    assert words["grundsteuer"]["count"] == sum(r.text == FAR for r in records)
    assert not {"Gibt", "es", "Förderung", "für", "eine", "wann", "zahlen"} & words.keys()  # known or stopwords
    out = report("--top", "1", data=data).stdout.decode("utf-8")
    table = out.split("Wörter, die die Wissensbasis nicht kennt")[1].split("Eignungs-Check")[0]
    assert "Wärmepumpe" in table and "grundsteuer" not in table  # --top 1
    total = len(parsed["unknown_words"])
    assert f"… und {total - 1} weitere (alle mit --top {total})" in table  # the cut is said, not silent
    hints = report("suggest", data=data).stdout.decode()
    assert f"#   Wärmepumpe ({words['Wärmepumpe']['count']}×), z. B. „{GAP}“" in hints
    page = html_of(season, tmp_path)
    assert "<h2>Wörter, die die Wissensbasis nicht kennt</h2>" in page and "<td>Wärmepumpe</td>" in page


def test_a_pasted_skeleton_fails_kb_check_until_completed(season, knowledge_copy):
    suggested = report("suggest", "--top", "1", data=season[0]).stdout.decode()
    body = suggested[suggested.index("- id:") :]
    (knowledge_copy / "entries" / "neu.yaml").write_text(body, encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "check", str(knowledge_copy)], capture_output=True, text=True
    )
    assert check.returncode == 1
    assert "unbekanntes topic „TODO“" in check.stdout and "noch ein Platzhalter (TODO)" in check.stdout
    assert "sources:" in body and "source:" not in body.replace("sources:", "")  # the current form, with a quote


def test_a_skeleton_with_answer_but_placeholder_sources_still_fails(season, knowledge_copy):
    """Filling in topic and answer is not enough: "Quelle: TODO: Adresse der Quelle" reached applicants."""
    suggested = report("suggest", "--top", "1", data=season[0]).stdout.decode()
    body = suggested[suggested.index("- id:") :].replace("topic: TODO", "topic: procedure")
    body = body.replace(PLACEHOLDER_ANSWER, "Das regeln die offiziellen Unterlagen.")
    entry = knowledge_copy / "entries" / "neu.yaml"
    entry.write_text(body, encoding="utf-8")

    def check() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "bot", "kb", "check", str(knowledge_copy)]
        return subprocess.run(command, capture_output=True, text=True)

    def line_of(key: str) -> int:
        return next(number for number, line in enumerate(body.splitlines(), start=1) if key in line)

    failed = check()
    assert failed.returncode == 1, failed.stdout
    assert f"neu.yaml:{line_of('url:')}: Fehler: „url“ ist noch ein Platzhalter (TODO)" in failed.stdout
    assert f"neu.yaml:{line_of('quote:')}: Fehler: „quote“ ist noch ein Platzhalter (TODO)" in failed.stdout
    body = body.replace("TODO: Adresse der Quelle", "https://www.umbau21-smartregion.de")
    entry.write_text(body.replace("TODO: der belegende Satz", "Projektaufruf"), encoding="utf-8")
    assert check().returncode == 0


def html_of(season, tmp_path, *args: str) -> str:
    page = tmp_path / "report.html"
    assert report("--html", str(page), *args, data=season[0]).returncode == 0
    return page.read_text(encoding="utf-8")


def test_html_to_stdout_with_a_dash_like_csv(season, tmp_path):
    """`docker exec … report --html - > bericht.html` wrote a file named "-" inside the container."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--data-dir", str(season[0]), "--html", "-", "--top", "1"],
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and not (tmp_path / "-").exists()
    page = result.stdout.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert re.search(r"<p>… und \d+ weitere \(alle mit --top \d+\)</p>", page)


def test_html_has_axes_deadlines_averages_and_honours_top(season, tmp_path):
    html = html_of(season, tmp_path, "--top", "1")
    assert html.count('class="deadline"') == 2  # in both charts: 17 February lies inside
    per_chart = html.count('class="x-label"') // 2
    assert 6 <= per_chart <= 9 and ">5. Jan.<" in html and ">18. Feb.<" in html
    assert html.count('class="y-label"') == 6 and ">100 %<" in html
    assert re.search(r"Antwortquote \d+\u00a0%", html)  # as the terminal report and /stats write it
    assert 'class="average answer"' in html and 'class="average fallback"' in html
    assert "👍 hilfreich" in html and "👎 nicht hilfreich" in html
    assert "Bis zu welchem Tag läuft die Bewerbungsfrist?" in html
    entries = html.split("<h2>Meistgefragte Einträge</h2>")[1].split("</table>")[0]
    assert entries.count("<tr>") == 2  # the header and --top 1
    # a day with a single fallback does not drop the 7-day answer rate to 0 %
    from bot.cli.report_html import _Frame, rolling_rates

    parsed = json.loads(report("--json", data=season[0]).stdout)
    from bot.store.report import Report

    view = Report(0, {}, {}, parsed["per_day"], [], [])
    rates = dict(rolling_rates(view, _Frame(view), "answer"))
    daily = {d["date"]: d for d in parsed["per_day"]}[LONE_FALLBACK_DAY.isoformat()]
    assert daily["answer"] == 0 and rates[LONE_FALLBACK_DAY] > 0.5


def png_pixels(path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = {}, 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunks.setdefault(kind, []).append(data[position + 8 : position + 8 + length])
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    assert depth == 8 and colour in (2, 6) and interlace == 0
    size = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    rows, previous, stride = [], bytearray(width * size), width * size
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(px for i in range(0, stride, size) for px in row[i : i + 3]) for row in rows]


def colour_count(rows: list[bytes], colour: str) -> int:
    wanted = bytes.fromhex(colour.lstrip("#"))
    return sum(Counter(row[i : i + 3] for i in range(0, len(row), 3))[wanted] for row in rows)


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium fehlt (.ci/run installiert es)")
def test_screenshot_shows_the_deadline_markers_and_both_rate_lines(season, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(html_of(season, tmp_path), encoding="utf-8")
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=800,1300", f"--screenshot={shot}", page.as_uri(),
        ],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    width, height, rows = png_pixels(shot)
    assert (width, height) == (800, 1300)
    assert colour_count(rows, DEADLINE_COLOUR) > 100  # dashed lines in both charts and their labels
    assert colour_count(rows, RATE_COLOURS["answer"]) > 300  # the 7-day answer rate
    assert colour_count(rows, RATE_COLOURS["fallback"]) > 300  # fallback bars and the fallback rate


def test_suggested_phrasings_leave_out_questions_with_replaced_personal_data(kb):
    """ "Ich heiße [Name], kann ich die Skizze per Fax schicken?" matches nobody's question."""
    near = Cluster("Fax?", count=3, examples=["Ich heiße [Name], geht Fax?", "Kann ich die Skizze faxen?"])
    near.closest["verfahren-einreichung"] = 3
    only_personal = Cluster("Rückruf", count=2, examples=["Meine Nummer ist [Telefon], rufen Sie zurück?"])
    new = Cluster("Rückruf", count=2, examples=["Rufen Sie mich unter [Telefon] an?"])
    only_personal.closest["verfahren-einreichung"] = 2
    report = Report(7, {}, {"up": 0, "down": 0}, [], [], [near, only_personal, new])
    hints = suggestions(report, kb, top=3)
    pasted = [line for line in hints.splitlines() if line.lstrip().startswith("- ")]
    assert "    - Kann ich die Skizze faxen?" in pasted
    assert not [line for line in pasted if "[Name]" in line or "[Telefon]" in line]
    assert "jedes Beispiel enthält ersetzte persönliche Angaben" in hints
    assert "- 'TODO: Formulierung schreiben'" in hints or "- TODO: Formulierung schreiben" in hints


def test_a_vote_on_the_second_answer_is_reported_for_that_answer(tmp_path):
    """A reply with two answers: 👍 on the first, 👎 on the second; the inbox and the CSV name the second."""
    data = tmp_path / "data"
    data.mkdir()
    at = datetime(2017, 1, 20, 9, tzinfo=UTC)
    asked = question("Wie hoch ist die Förderung und wann ist Schluss?", "answer", at, "foerderquote",
                     [{"entry": "foerderquote", "score": 80.0}])  # fmt: skip
    asked = replace(asked, also_entry="frist-bewerbungsschluss")
    votes = [EventRecord(asked.ref, asked.asked_at, "up", "foerderquote"),
             EventRecord(asked.ref, asked.asked_at, "down", "frist-bewerbungsschluss")]  # fmt: skip

    async def write() -> None:
        log = QueryLog(Database(data))
        await log.open()
        for record in [asked, *votes]:
            log.add(record)
        await log.flush()
        await log.close()
        await log.database.close()

    import asyncio

    asyncio.run(write())
    summary = json.loads(report("--json", data=data).stdout)
    assert summary["feedback"] == {"up": 1, "down": 1}
    (disliked,) = summary["unanswered"]
    assert disliked["closest_entry"] == "frist-bewerbungsschluss" and disliked["disliked"] == 1
    # both answers count for their entries
    assert {e["entry"]: e["count"] for e in summary["entries"]} == {"foerderquote": 1, "frist-bewerbungsschluss": 1}
    lines = report("--csv", "-", "--plain", data=data).stdout.decode("utf-8").splitlines()
    assert lines[0].endswith(",feedback,choice,votes,also_entry")
    assert lines[1].endswith(",foerderquote:up frist-bewerbungsschluss:down,frist-bewerbungsschluss")
