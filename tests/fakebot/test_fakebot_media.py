"""The fake's sendMediaGroup: albums of photos as Telegram takes them, and what it refuses."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from telegram import Bot, InputMediaDocument, InputMediaPhoto
from telegram.error import BadRequest

from bot.sandbox.botapi.media import image_size
from tests.fakebot import FakeBotApi, FakeUser
from tests.fakebot.conftest import raw_request


def png(width: int = 120, height: int = 80) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_image_size_reads_png_and_jpeg_and_nothing_else() -> None:
    assert image_size(png(120, 80)) == (120, 80)
    assert image_size(jpeg(64, 48)) == (64, 48)
    assert image_size(b"%PDF-1.4 not an image") is None
    assert image_size(png()[:20]) is None


async def test_an_album_of_photos_with_captions(
    server: FakeBotApi, bot: Bot, anna: FakeUser
) -> None:
    media = [
        InputMediaPhoto(png(), caption="<b>1/2</b> first", parse_mode="HTML"),
        InputMediaPhoto(jpeg(), caption="2/2 second"),
    ]
    sent = await bot.send_media_group(anna.id, media, protect_content=True)
    assert len(sent) == 2 and sent[0].media_group_id == sent[1].media_group_id
    assert sent[0].caption == "1/2 first" and sent[0].photo[-1].width == 120
    assert [p.caption for p in server.photos] == ["1/2 first", "2/2 second"]
    assert all(p.protect_content for p in server.photos)
    assert server.violations == []


async def test_albums_telegram_refuses(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    with pytest.raises(BadRequest, match=r"(?i)count_invalid"):
        await bot.send_media_group(anna.id, [InputMediaPhoto(png())])
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_media_group(
            anna.id, [InputMediaPhoto(png()), InputMediaPhoto(b"not an image at all")]
        )
    # The spec itself refuses an album that mixes documents with photos.
    with pytest.raises(BadRequest, match=r"(?i)expected array of inputmediaaudio"):
        await bot.send_media_group(
            anna.id, [InputMediaPhoto(png()), InputMediaDocument(b"x", filename="a.txt")]
        )
    assert len(server.violations) == 1
    server.violations.clear()
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_media_group(
            anna.id, [InputMediaPhoto(png(), caption="x" * 1025), InputMediaPhoto(png())]
        )
    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await bot.send_media_group(
            anna.id, [InputMediaPhoto(png(2100, 100)), InputMediaPhoto(png())]
        )
    assert server.photos == []


async def test_an_attach_reference_without_its_part_is_a_violation(
    server: FakeBotApi, anna: FakeUser
) -> None:
    media = json.dumps([{"type": "photo", "media": "attach://a"}] * 2)
    status, body = await raw_request(
        server, "sendMediaGroup", data={"chat_id": str(anna.id), "media": media}
    )
    assert status == 400 and not body["ok"]
    assert any("attach://a refers to no uploaded file part" in v for v in server.violations)
    server.violations.clear()


async def test_photos_and_voice_notes_a_user_sent_go_on_by_file_id(
    server: FakeBotApi, bot: Bot, anna: FakeUser
) -> None:
    photo = (await anna.send_photo(jpeg(64, 48)))["photo"][-1]["file_id"]
    voice = (await anna.send_voice(b"OggS voice"))["voice"]["file_id"]
    sent = await bot.send_photo(anna.id, photo, caption="<b>#1</b>", parse_mode="HTML",
                                protect_content=True)  # fmt: skip
    assert sent.photo[-1].file_id == photo and sent.caption == "#1" and sent.has_protected_content
    heard = await bot.send_voice(anna.id, voice, protect_content=True)
    assert heard.voice is not None and heard.voice.file_id == voice
    assert [p.caption for p in server.photos] == ["#1"]
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(anna.id, "no-such-file")
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_voice(anna.id, "no-such-file")
    assert server.violations == []
