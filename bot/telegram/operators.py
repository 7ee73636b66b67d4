"""Operator commands (FOERDERBOT_ADMIN_IDS only): reload, statistics, the unanswered inbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from telegram import Update
from telegram.ext import ContextTypes

from bot.german import counted, percent
from bot.telegram import format, texts
from bot.telegram.context import services, settings
from bot.telegram.handlers import help_command, send

UNANSWERED_SHOWN = 5
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def operators_only(handler: Handler) -> Handler:
    """Anyone not in FOERDERBOT_ADMIN_IDS gets the normal help instead."""

    @wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None or user.id not in settings(context.bot_data).admin_ids:
            await help_command(update, context)
            return
        await handler(update, context)

    return guarded


@operators_only
async def reload_knowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/neuladen: a broken knowledge base leaves the running one in place."""
    reloaded = await services(context.bot_data).reload()
    if reloaded.errors:
        text = texts.RELOAD_FAILED.format(problems="\n".join(reloaded.errors[:10]))
    else:
        text = texts.RELOADED.format(entries=counted(reloaded.entries, "Eintrag", "Einträge"), version=reloaded.version)
    await send(update.message, format.plain(text))


@operators_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: today, the last 7 days, everything, and the answer rate."""
    figures = await services(context.bot_data).stats.figures()
    lines = []
    for label, counts in (("Heute", figures.today), ("7 Tage", figures.last_7_days), ("Gesamt", figures.all_time)):
        rate = "–" if counts.answer_rate is None else percent(counts.answer_rate)
        total = counted(counts.total, "Frage", "Fragen")
        lines.append(texts.STATS_LINE.format(label=label, total=total, rate=rate, **counts.per_outcome))
    await send(update.message, format.plain("\n".join(lines)))


@operators_only
async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unbeantwortet: the most pressing clusters of questions the bot could not answer."""
    clusters = await services(context.bot_data).stats.unanswered()
    if not clusters:
        await send(update.message, format.plain(texts.NOTHING_UNANSWERED))
        return
    lines = [texts.UNANSWERED_TITLE]
    for number, cluster in enumerate(clusters[:UNANSWERED_SHOWN], start=1):
        example, closest = cluster.examples[0], cluster.closest_entry or "–"
        lines.append(texts.UNANSWERED_LINE.format(n=number, count=cluster.count, example=example, closest=closest))
    await send(update.message, format.plain("\n".join(lines)))
