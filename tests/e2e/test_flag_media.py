"""Photos and voice notes attach to a flag while it is composed and reach its recipients
protected, after its card; nobody else gets them."""

from __future__ import annotations

import io

from PIL import Image

from handlers.context import BotApplication
from storage.store import Store
from tests.fakebot import FakeBotApi
from tests.flagkit import copies, open_flag, pick, scene


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, format="PNG")
    return buffer.getvalue()


async def test_photos_and_voice_notes_go_with_the_flag_protected(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna, tove, tim = users[601], users[611], users[612]
    await anna.send_photo(_png())  # no flag being made: said so, nothing kept
    await anna.wait_for_message(lambda m: "No flag is being made" in m.entities_text)
    wizard = await open_flag(anna)
    await anna.send_photo(_png())
    await anna.wait_for_message(lambda m: "Choose the agencies first" in m.entities_text)
    await anna.press(wizard, "🔴 Urgent")
    await server.wait_until(lambda: "Urgent flag" in anna.message(wizard).entities_text)
    await pick(anna, wizard, "TULL")
    await server.wait_until(
        lambda: "Write what is happening" in anna.message(wizard).entities_text
    )
    sent_photo = await anna.send_photo(_png())
    await anna.wait_for_message(lambda m: "Attached to the flag (1)" in m.entities_text)
    sent_voice = await anna.send_voice(b"OggS fake voice")
    await anna.wait_for_message(lambda m: "Attached to the flag (2)" in m.entities_text)
    await anna.send("Bilen på bilden")
    summary = await anna.wait_for_message(lambda m: "Is this right?" in m.entities_text)
    assert "📎 Attached: 2" in summary.entities_text
    await anna.press(summary, "🚩 Raise the flag")
    await server.wait_until(lambda: len(copies(tove, 1)) == 1)
    card = next(m for m in tove.messages if "Flag #1 ·" in m.entities_text)
    photo = await tove.wait_for_message(lambda m: "photo" in m.raw, earlier=True)
    voice = await tove.wait_for_message(lambda m: "voice" in m.raw, earlier=True)
    assert photo.protect_content and voice.protect_content
    assert card.message_id < photo.message_id < voice.message_id
    assert photo.raw["photo"][-1]["file_id"] == sent_photo["photo"][-1]["file_id"]
    assert voice.raw["voice"]["file_id"] == sent_voice["voice"]["file_id"]
    assert not [m for m in tim.messages if "photo" in m.raw or "voice" in m.raw]  # not reached
    assert not [m for m in users[621].messages if "photo" in m.raw]  # FK: not a target
    assert server.rejections == []
