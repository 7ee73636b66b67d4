"""Operator commands (FOERDERBOT_ADMIN_IDS only): reload, statistics, the unanswered inbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import wraps

from telegram import Update
from telegram.ext import ContextTypes

from bot.store.report import Period, build_report, outcome_counts
from bot.telegram import format, texts
from bot.telegram.handlers import help_command, send
from bot.telegram.state import state_of, stored

UNANSWERED_SHOWN = 5
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def operators_only(handler: Handler) -> Handler:
    """Anyone not in FOERDERBOT_ADMIN_IDS gets the normal help instead."""

    @wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None or user.id not in state_of(context).settings.admin_ids:
            await help_command(update, context)
            return
        await handler(update, context)

    return guarded


@operators_only
async def reload_knowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/neuladen: a broken knowledge base leaves the running one in place."""
    state = state_of(context)
    errors = state.reload()
    if errors:
        text = texts.RELOAD_FAILED.format(problems="\n".join(errors[:10]))
    else:
        await state.reminders.plan(context.application)
        text = texts.RELOADED.format(entries=len(state.kb.entries), version=state.kb.version)
    await send(update.message, format.plain(text))


@operators_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: today, the last 7 days, everything, and the answer rate."""
    state = state_of(context)
    await stored(state.querylog.flush())
    today = state.clock.now().astimezone(state.kb.call.tz).date()
    lines = []
    for label, period in (
        ("Heute", Period(today, today)),
        ("7 Tage", Period(today - timedelta(days=6), today)),
        ("Gesamt", Period(None, None)),
    ):
        counts = await stored(outcome_counts(state.querylog.connection, state.kb.call, period))
        total = sum(counts.values())
        rate = f"{counts['answer'] / total:.0%}" if total else "–"
        lines.append(texts.STATS_LINE.format(label=label, total=total, rate=rate, **counts))
    await send(update.message, format.plain("\n".join(lines)))


@operators_only
async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unbeantwortet: the most pressing clusters of questions the bot could not answer."""
    state = state_of(context)
    await stored(state.querylog.flush())
    report = await stored(build_report(state.querylog.connection, state.kb.call, Period(None, None), state.clock.now()))
    if not report.unanswered:
        await send(update.message, format.plain(texts.NOTHING_UNANSWERED))
        return
    lines = [texts.UNANSWERED_TITLE]
    for number, cluster in enumerate(report.unanswered[:UNANSWERED_SHOWN], start=1):
        example, closest = cluster.examples[0], cluster.closest_entry or "–"
        lines.append(texts.UNANSWERED_LINE.format(n=number, count=cluster.count, example=example, closest=closest))
    await send(update.message, format.plain("\n".join(lines)))
