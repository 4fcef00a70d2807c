"""The Telegram channel: Bot API updates in, replies out, with python-telegram-bot.

An update (from the webhook or from long polling) becomes a stored customer message of
that chat's conversation; its routing continues after Telegram has its answer. Replies are
sent by the delivery worker through `send`, buttons as an inline keyboard; while the
assistant works on a turn the chat shows "typing" (`send_typing`). Telegram allows
only 64 bytes of callback data, less than a Rasa payload with entities, so a button
carries "b:<message id>:<index>" and its payload is looked up in the stored message.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from conversations.service import ConversationService
from conversations.store import TELEGRAM, ConversationStore, MessageRecord
from company.help_articles import absolute_article_links
from ground.settings import Settings

logger = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit for one message
START_PAYLOAD = "/greet"


@dataclass(frozen=True)
class Inbound:
    """What a Telegram update asks the gateway to store and route."""

    chat_id: str
    display_name: Optional[str]
    kind: str
    text: Optional[str] = None
    payload: Optional[str] = None
    callback_query_id: Optional[str] = None
    callback_data: Optional[str] = None


def callback_data(message_id: int, index: int) -> str:
    return f"b:{message_id}:{index}"


def parse_callback_data(data: str) -> Optional[tuple[int, int]]:
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "b" or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return int(parts[1]), int(parts[2])


def keyboard(message: MessageRecord) -> Optional[InlineKeyboardMarkup]:
    """The message's buttons as an inline keyboard, one button per row."""
    if not message.buttons:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(button.get("title") or button["payload"],
                              callback_data=callback_data(message.id, index))]
        for index, button in enumerate(message.buttons)
    ])


def split_text(text: str, limit: int = MAX_TEXT) -> List[str]:
    """Pieces of at most `limit` characters, cut at a line or word break where possible."""
    pieces: List[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces


def read_update(update: Update) -> Optional[Inbound]:
    """The customer message an update carries, or None for updates we do not serve
    (edited messages, channel posts, ...)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        user = query.from_user
        return Inbound(chat_id=str(query.message.chat.id), display_name=user.first_name if user else None,
                       kind="button", callback_query_id=query.id, callback_data=query.data or "")
    message = update.message
    if message is None:
        return None
    name = message.from_user.first_name if message.from_user else None
    chat_id = str(message.chat.id)
    if message.text is not None:
        if message.text.strip().split(" ")[0].split("@")[0] == "/start":
            return Inbound(chat_id, name, "text", text=message.text, payload=START_PAYLOAD)
        return Inbound(chat_id, name, "text", text=message.text)
    for kind in ("photo", "sticker", "location"):
        if getattr(message, kind, None):
            return Inbound(chat_id, name, kind, text=message.caption)
    return Inbound(chat_id, name, "other", text=message.caption)


class TelegramChannel:
    """The Bot API client, the update handler and the sender for the delivery worker."""

    def __init__(self, settings: Settings) -> None:
        self.bot = Bot(settings.telegram_bot_token, base_url=settings.telegram_api_base_url)
        self._public_url = settings.public_url
        self._service: Optional[ConversationService] = None
        self._store: Optional[ConversationStore] = None

    async def start(self) -> None:
        try:
            await self.bot.initialize()
        except TelegramError as error:
            # the gateway runs without Telegram for now; deliveries wait and retry
            logger.warning("Telegram Bot API not reachable at start: %s", error)

    async def stop(self) -> None:
        try:
            await self.bot.shutdown()
        except TelegramError:
            logger.debug("Telegram shutdown failed", exc_info=True)

    def attach(self, service: ConversationService, store: ConversationStore) -> None:
        self._service = service
        self._store = store

    async def store_update(self, data: Dict[str, Any]) -> Optional[MessageRecord]:
        """Stores the customer message of an update; returns it when it still needs
        routing (None for an update already stored, or one with nothing to route)."""
        assert self._service is not None and self._store is not None, "attach() first"
        inbound = read_update(Update.de_json(data, self.bot))
        if inbound is None:
            return None
        conversation = await asyncio.to_thread(
            self._store.conversation_for_address, TELEGRAM, inbound.chat_id, inbound.display_name
        )
        text, payload = inbound.text, inbound.payload
        if inbound.callback_query_id is not None:
            await self._answer(inbound.callback_query_id)
            button = await self._pressed_button(conversation.id, inbound.callback_data or "")
            if button is None:
                return None  # a stale or forged button: nothing to route
            text, payload = button.get("title"), button["payload"]
        message, created = await self._service.receive(
            conversation, text=text, payload=payload, kind=inbound.kind,
            client_message_id=f"tg:{data['update_id']}",
            client_address=f"{TELEGRAM}:{inbound.chat_id}",
        )
        return message if created else None

    async def route(self, message: MessageRecord) -> None:
        assert self._service is not None
        await self._service.route_stored(message)

    async def _answer(self, callback_query_id: str) -> None:
        try:
            await self.bot.answer_callback_query(callback_query_id)
        except TelegramError as error:  # the spinner stops by itself; the press still counts
            logger.warning("answerCallbackQuery failed: %s", error)

    async def _pressed_button(self, conversation_id: str, data: str) -> Optional[Dict[str, str]]:
        assert self._store is not None
        parsed = parse_callback_data(data)
        if parsed is None:
            return None
        message = await asyncio.to_thread(self._store.message, parsed[0])
        if message is None or message.conversation_id != conversation_id:
            return None
        buttons: Sequence[Dict[str, str]] = message.buttons
        if parsed[1] >= len(buttons):
            return None
        # only the buttons of the last few messages count, as on the web: an old keyboard
        # ("Yes, I'm sorted" of a handoff months ago) must not act on today's conversation
        title = await asyncio.to_thread(self._store.offered_title, conversation_id,
                                        str(buttons[parsed[1]].get("payload") or ""))
        return buttons[parsed[1]] if title is not None else None

    async def send(self, address: str, message: MessageRecord) -> Optional[str]:
        """Sends a stored reply as plain text (never HTML), its help-article links absolute;
        returns the last message id."""
        pieces = split_text(absolute_article_links(message.text or "…", self._public_url))
        sent_id: Optional[str] = None
        for number, piece in enumerate(pieces):
            last = number == len(pieces) - 1
            sent = await self.bot.send_message(
                chat_id=int(address), text=piece, reply_markup=keyboard(message) if last else None,
            )
            sent_id = str(sent.message_id)
        return sent_id

    async def send_typing(self, address: str) -> None:
        """Telegram's "typing…" in the chat (shown for 5 s or until the next message), while
        the assistant works on a turn."""
        await self.bot.send_chat_action(chat_id=int(address), action=ChatAction.TYPING)
