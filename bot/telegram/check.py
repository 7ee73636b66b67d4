"""/check and its buttons: the eligibility check, walked by editing one message.

The button data carries the whole state – the tree's version and the path of answer numbers –
so a question typed in between, a restart of the bot or a second chat break nothing; a button
of an edited tree, or forged data, gets the usual polite reply.
"""

from __future__ import annotations

import html
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core import Services
from bot.engine.check import BASIS, CheckStep, check_step
from bot.knowledge.checktree import MAX_DEPTH, MAX_OPTIONS, CheckTree, PathError
from bot.telegram import callbacks, format, texts
from bot.telegram.context import services
from bot.telegram.handlers import NO_PREVIEW, send

PATTERN = r"^k:"
_STEP = re.compile(rf"^k:(?P<version>[0-9a-f]{{6}}):(?P<path>[1-{MAX_OPTIONS}]{{0,{MAX_DEPTH}}})$")


def step_data(tree: CheckTree, path: tuple[int, ...]) -> str:
    """ "k:VERSION:PATH", one digit per answer: at most 2 + 6 + 1 + MAX_DEPTH (48) = 57 of Telegram's 64 bytes."""
    return f"k:{tree.version}:{''.join(map(str, path))}"


def _parse(data: object, tree: CheckTree | None) -> tuple[int, ...] | None:
    """The path behind a step button, or None if forged or from another version of the tree."""
    match = _STEP.match(data) if isinstance(data, str) else None
    if not match or tree is None or match["version"] != tree.version:
        return None
    return tuple(int(digit) for digit in match["path"])


def _html(step: CheckStep) -> str:
    title = texts.CHECK_RESULT if step.result else texts.CHECK_QUESTION.format(n=len(step.path) + 1)
    parts = [f"<b>{html.escape(title)}</b>"]
    parts += [html.escape(p) for p in (step.notice, step.body) if p]
    if step.entries:
        lines = [
            f'• <a href="{html.escape(e.source, quote=True)}">{html.escape(e.canonical)}</a>'
            if e.source
            else f"• {html.escape(e.canonical)}"
            for e in step.entries
        ]
        parts.append("\n".join([html.escape(BASIS), *lines]))
    parts += [html.escape(p) for p in step.closing]
    return "\n\n".join(parts)


def _keyboard(tree: CheckTree, step: CheckStep) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(label, callback_data=step_data(tree, (*step.path, number)))]
        for number, label in enumerate(step.options, start=1)
    ]
    rows += [format.entry_button(entry) for entry in step.entries]
    if step.path:
        rows.append(
            [
                InlineKeyboardButton(texts.CHECK_BACK, callback_data=step_data(tree, step.path[:-1])),
                InlineKeyboardButton(texts.CHECK_RESTART, callback_data=step_data(tree, ())),
            ]
        )
    return InlineKeyboardMarkup(rows)


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/check: a new message with the first question."""
    await _start(update, services(context.bot_data))


async def _start(update: Update, core: Services) -> None:
    kb = core.knowledge.kb
    message = update.effective_message
    if kb.check is None:
        await send(message, format.plain(texts.NO_CHECK))
        return
    step = check_step(kb, (), core.knowledge.now())
    await send(message, [format.Outgoing(_html(step), _keyboard(kb.check, step))])


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of the check: start it in a new message, or move the one it belongs to."""
    query = update.callback_query
    core = services(context.bot_data)
    if query.message is None:
        await query.answer(texts.STALE_BUTTON)
        return
    if query.data == callbacks.CHECK_START:
        await query.answer()
        await _start(update, core)
        return
    kb = core.knowledge.kb
    tree = kb.check
    path = _parse(query.data, tree)
    try:
        step = check_step(kb, path, core.knowledge.now()) if path is not None else None
    except PathError:
        step = None
    if step is None:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    if step.result:
        core.ask.check_result(step.result.id)
    try:
        await query.edit_message_text(
            _html(step), parse_mode=ParseMode.HTML, reply_markup=_keyboard(tree, step), link_preview_options=NO_PREVIEW
        )
    except BadRequest as exc:  # the same button twice: the message already shows this step
        if "not modified" not in str(exc).casefold():
            raise
