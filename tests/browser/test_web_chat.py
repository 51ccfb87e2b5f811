"""A shift in the web chat, in a real browser: switch persona, check in at the office, a flag
from POL to SKV acknowledged in place in both chats, /calendar's file, a notice confirmed, and
15 minutes skipped to a missed check-in reminder. Each step leaves a screenshot in the test's
tmp_path; the page never asks anything of a host but 127.0.0.1 (asserted by the fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect
from telegram.error import BadRequest

from bot.sandbox import seed
from tests.browser.conftest import WAIT_MS, Chat

pytestmark = pytest.mark.asyncio(loop_scope="module")

ANNA, SVEN, STINA, ALI, TOVE = 5101, 5111, 5112, 5131, 5151
CECILIA = seed.COORDINATOR


async def test_switching_persona_shows_their_chat_and_menu(chat: Chat, tmp_path: Path) -> None:
    await chat.be(ANNA, "Anna Lindqvist")
    card = await chat.sees("Lastbil med cigaretter")
    await expect(card.get_by_test_id("protected")).to_have_text("🔒 kan inte vidarebefordras")
    await expect(card.locator("b").first).to_have_text("Flagga #1")  # Telegram's bold
    # The agency by the short form Swedes use, and the flag's place by name: no codes.
    await expect(chat.page.get_by_test_id("role")).to_have_text("Expert · Polisen")
    await expect(chat.page.get_by_test_id("shared-venue")).to_have_text("📍 Kontoret i Järva")
    await chat.page.get_by_test_id("menu-button").click()
    await expect(chat.page.get_by_test_id("command-flag")).to_be_visible()
    await expect(chat.page.get_by_test_id("command-notice")).to_have_count(0)  # not hers
    await chat.shot(tmp_path, "anna")
    await chat.page.get_by_test_id("menu-button").click()
    await chat.be(CECILIA, "Cecilia Holm")
    await chat.sees("Meddelande #1")
    await chat.page.get_by_test_id("menu-button").click()
    await expect(chat.page.get_by_test_id("command-notice")).to_be_visible()
    await chat.shot(tmp_path, "cecilia")
    await chat.page.get_by_test_id("menu-button").click()
    await chat.page.get_by_test_id("lang").click()  # the page in English, and back
    await expect(chat.page.get_by_test_id("menu-button")).to_have_text("☰ Menu")
    await expect(chat.page.get_by_test_id("role")).to_have_text("Coordinator")
    await chat.page.get_by_test_id("lang").click()
    await expect(chat.page.get_by_test_id("menu-button")).to_have_text("☰ Meny")
    await chat.be("channel", seed.CHANNEL.title)
    await chat.sees("Järva")
    await expect(chat.page.get_by_test_id("text")).to_be_hidden()  # residents only read
    await chat.shot(tmp_path, "channel")


async def test_checking_in_at_the_office(chat: Chat, tmp_path: Path) -> None:
    await chat.be(STINA, "Stina Ek")
    await chat.page.get_by_test_id("menu-button").click()
    await chat.page.get_by_test_id("command-checkin").click()
    share = chat.page.get_by_test_id("reply-button").filter(has_text="Dela position")
    await expect(share).to_be_visible(timeout=WAIT_MS)
    await chat.shot(tmp_path, "asked-for-location")
    await share.click()
    await chat.page.get_by_test_id("at-office").click()
    await chat.sees("Incheckad i Järva")
    await expect(chat.page.get_by_test_id("shared-location").last).to_contain_text("59.41")
    await expect(chat.page.get_by_test_id("reply-button")).to_have_count(0)
    await chat.shot(tmp_path, "checked-in")


async def test_a_flag_from_pol_to_skv_is_acknowledged_in_place(chat: Chat, tmp_path: Path) -> None:
    await chat.be(ANNA, "Anna Lindqvist")
    await chat.send("/flag")
    await chat.sees("Vilka myndigheter")
    await chat.press("Vilka myndigheter", "SKV")  # a button: the short form Swedes use
    chosen = chat.bubble("Vilka myndigheter").get_by_role("button", name="✓ SKV")
    await expect(chosen).to_be_visible(timeout=WAIT_MS)
    await chat.press("Vilka myndigheter", "Nästa")
    await chat.sees("Kategori?")
    await chat.press("Kategori?", "Svartarbete")
    await chat.sees("Hur brådskande?")
    await chat.press("Hur brådskande?", "prioriterad")
    await chat.sees("Skriv en kort beskrivning")
    await chat.send("Misstänkt svartarbete i kiosken vid torget, ärende P-77")
    await chat.sees("Dela en plats")
    await chat.press("Dela en plats", "Hoppa över")
    await chat.sees("Stämmer det här?")
    await chat.shot(tmp_path, "flag-summary")
    await chat.press("Stämmer det här?", "Skicka flaggan")
    await chat.sees("Skatteverket — öppen")  # the card: the agency's name
    await chat.shot(tmp_path, "flag-raised")

    await chat.be(SVEN, "Sven Larsson")
    card = await chat.sees("Misstänkt svartarbete i kiosken")
    await chat.shot(tmp_path, "flag-arrived")
    await card.get_by_role("button", name="👀 Kvittera").click()
    await expect(chat.page.get_by_test_id("toast")).to_have_text("Kvitterad.", timeout=WAIT_MS)
    await expect(card).to_contain_text("kvitterad av Sven Larsson", timeout=WAIT_MS)
    await expect(card.get_by_test_id("edited")).to_be_visible()
    cards = chat.page.get_by_test_id("message").filter(has_text="Misstänkt svartarbete")
    await expect(cards).to_have_count(1)  # the same message, edited: no second card
    await chat.shot(tmp_path, "acknowledged-by-skv")

    await chat.be(ANNA, "Anna Lindqvist")
    mine = chat.page.get_by_test_id("message").filter(has_text="Flagga #2 ·")
    await expect(mine).to_have_count(1)
    await expect(mine).to_contain_text("kvitterad av Sven Larsson", timeout=WAIT_MS)
    await expect(mine.get_by_test_id("edited")).to_be_visible()
    await chat.shot(tmp_path, "acknowledged-seen-by-pol")


async def test_calendar_comes_as_a_file_to_download(chat: Chat, tmp_path: Path) -> None:
    await chat.be(ANNA, "Anna Lindqvist")
    await chat.send("/calendar")
    link = chat.page.get_by_test_id("document").last
    await expect(link).to_contain_text(".ics", timeout=WAIT_MS)
    await chat.shot(tmp_path, "calendar")
    async with chat.page.expect_download() as started:
        await link.click()
    download = await started.value
    assert download.suggested_filename.endswith(".ics")
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    assert saved.read_bytes().startswith(b"BEGIN:VCALENDAR")


async def test_a_coordinator_sends_a_notice_and_an_expert_confirms(
    chat: Chat, tmp_path: Path
) -> None:
    await chat.be(CECILIA, "Cecilia Holm")
    await chat.send("/notice")
    await chat.sees("Skriv meddelandet")
    await chat.send("Möte kl. 15 i lokalen om torget")
    await chat.sees("Vem ska få meddelandet?")
    await chat.press("Vem ska få meddelandet?", "Alla i mina grupper")
    await chat.sees("Förhandsvisning")
    await chat.shot(tmp_path, "notice-preview")
    await chat.press("Förhandsvisning", "Skicka till")
    await chat.sees("Meddelande #2")

    await chat.be(TOVE, "Tove Andersson")
    notice = await chat.sees("Möte kl. 15 i lokalen")
    await notice.get_by_role("button", name="✅ Jag har läst det").click()
    await expect(notice).to_contain_text("Du bekräftade", timeout=WAIT_MS)
    await chat.shot(tmp_path, "notice-confirmed")

    await chat.be(CECILIA, "Cecilia Holm")
    status = await chat.sees("Meddelande #2")
    await expect(status).to_contain_text("Läst och bekräftat: 1 av", timeout=WAIT_MS)
    await chat.shot(tmp_path, "notice-status")


async def test_a_coordinator_sends_a_roster_csv_as_a_document(chat: Chat, tmp_path: Path) -> None:
    await chat.be(CECILIA, "Cecilia Holm")
    roster = "member,group,start,end\n@fatima_fk,Järva,2026-12-24T08:00,2026-12-24T16:00\n"
    await chat.page.get_by_test_id("file").set_input_files(
        {"name": "jul.csv", "mimeType": "text/csv", "buffer": roster.encode()}
    )
    await expect(chat.page.get_by_test_id("document").last).to_have_text("📄 jul.csv")
    await chat.sees("Schemat importerat: 1 nya pass")
    await chat.shot(tmp_path, "roster-imported")


async def test_skipping_15_minutes_brings_the_missed_check_in_reminder(
    chat: Chat, tmp_path: Path
) -> None:
    await chat.be(ALI, "Ali Yusuf")
    await expect(chat.bubble("inte incheckad")).to_have_count(0)
    await chat.page.get_by_test_id("skip-15").click()
    await expect(chat.page.get_by_test_id("clock")).to_have_attribute(
        "data-ahead", "15", timeout=WAIT_MS
    )
    await chat.sees("har börjat och du är inte incheckad")
    await chat.shot(tmp_path, "missed-check-in")


async def test_what_telegram_would_refuse_is_an_error_bubble(chat: Chat, tmp_path: Path) -> None:
    await chat.be(SVEN, "Sven Larsson")
    with pytest.raises(BadRequest):
        await chat.sandbox.world.app.bot.send_message(SVEN, "<b>trasig HTML")
    error = chat.page.get_by_test_id("error-bubble")
    await expect(error).to_contain_text("can't parse entities", timeout=WAIT_MS)
    await chat.shot(tmp_path, "refused")
