"""Privacy in the bot: the notice at /start and /privacy, and /me → My data."""

from __future__ import annotations

import io
import json
import zipfile

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.test_onboarding import _invite
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi
from tests.scenes import raise_flag


async def test_a_new_member_reads_the_notice_at_start_and_again_with_privacy(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    code = await _invite(bot_store)
    user = server.user(1001, first_name="Nora", language_code="en")
    await user.send(f"/start {code}")
    welcome = (await user.wait_for_message()).entities_text
    assert "Welcome, Nora" in welcome
    assert "for 24 hours only" in welcome and "closed flags 90 days" in welcome
    await user.send("/privacy")
    again = (await user.wait_for_message()).entities_text
    assert again.startswith("🔒 Privacy") and "check-ins 730 days" in again
    stranger = server.user(1002, first_name="Sven", language_code="sv")
    await stranger.send("/privacy")
    swedish = (await stranger.wait_for_message()).entities_text
    assert swedish.startswith("🔒 Integritet") and "stängda signaler 90 dagar" in swedish


async def test_my_data_sends_every_row_about_me_as_a_protected_file(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store)
    member = await make_member(bot_store, 1001, group=group, language="en", name="Nora")
    await make_member(bot_store, 1002, group=group, name="Someone Else")
    user = server.user(1001, first_name="Nora", language_code="en")
    await user.send("/me")
    card = await user.wait_for_message(lambda m: "What the bot stores" in m.entities_text)
    await user.press(card, "📦 My data")
    await server.wait_until(lambda: bool(server.documents))
    (document,) = server.documents
    assert document.chat_id == 1001 and document.protect_content
    assert document.caption is not None and "Everything the bot stores" in document.caption
    with zipfile.ZipFile(io.BytesIO(document.document_bytes)) as archive:
        data = json.loads(archive.read("data.json"))
        members_csv = archive.read("members.csv").decode("utf-8-sig")
    assert data["member_id"] == member.id
    assert [m["id"] for m in data["tables"]["members"]] == [member.id]
    assert data["tables"]["group_memberships"] == [
        {"group_id": group.id, "joined_at": data["tables"]["group_memberships"][0]["joined_at"]}
    ]
    assert "Nora" in members_csv and "Someone Else" not in members_csv
    async with bot_store.read() as tx:
        exports = [e for e in await tx.audit.recent() if e.action == "privacy.export"]
    assert [(e.actor_member_id, e.object_id) for e in exports] == [(member.id, member.id)]


async def test_every_read_of_a_flag_is_audited_and_admins_can_ask(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store)
    raiser = await make_member(bot_store, 1001, agency="TULL", group=group, language="en")
    reader = await make_member(bot_store, 1002, agency="POL", group=group, language="en",
                               name="Rita")  # fmt: skip
    await make_member(bot_store, 1003, role=Role.ADMIN, agency=None, language="en")
    await make_member(bot_store, 1004, role=Role.COORDINATOR, group=group, language="en")
    rita = server.user(1002, first_name="Rita", language_code="en")
    await rita.send("/help")
    await rita.wait_for_message()
    flag_id = await raise_flag(bot_store, raiser, ["POL"], START)
    await rita.wait_for_message(lambda m: f"#{flag_id}" in m.entities_text)
    await rita.send("/flags")
    listing = await rita.wait_for_message(lambda m: f"#{flag_id}" in m.button_texts())
    await rita.press(listing, f"#{flag_id}")
    await rita.wait_for_message(lambda m: "Ärende K-1" in m.entities_text)
    async with bot_store.read() as tx:
        entries = await tx.audit.about("flag", flag_id, 50)
    reads = [(e.actor_member_id, e.detail) for e in entries if e.action == "flag.read"]
    assert (reader.id, "routed") in reads
    assert reads[-2:] == [(reader.id, "listed"), (reader.id, "opened")]
    assert all("K-1" not in (e.detail or "") for e in entries)  # never the content

    admin = server.user(1003, first_name="Ada", language_code="en")
    await admin.send(f"/audit flag {flag_id}")
    trail = (
        await admin.wait_for_message(lambda m: "Audit trail" in m.entities_text)
    ).entities_text
    assert f"Audit trail of flag #{flag_id}" in trail
    assert f"Rita (Swedish Police Authority, #{reader.id}) · flag.read flag #{flag_id} opened" in (
        trail
    )
    assert "K-1" not in trail
    await admin.send(f"/audit member {reader.id}")
    mine = await admin.wait_for_message(lambda m: "Audit trail of Rita" in m.entities_text)
    assert mine.entities_text.count("flag.read") == 3 and mine.protect_content
    await admin.send("/audit flag")
    assert "/audit flag NUMBER" in (await admin.wait_for_message()).entities_text
    # A Swedish admin reads the agencies' names, and what the trail is of, in Swedish.
    await make_member(bot_store, 1005, role=Role.ADMIN, agency=None, language="sv")
    svea = server.user(1005, first_name="Svea", language_code="sv")
    await svea.send(f"/audit flag {flag_id}")
    svensk = await svea.wait_for_message(lambda m: "Granskningslogg" in m.entities_text)
    assert f"Granskningslogg för signal #{flag_id}" in svensk.entities_text
    assert f"Rita (Polismyndigheten, #{reader.id}) · flag.read" in svensk.entities_text
    coordinator = server.user(1004, first_name="Coord", language_code="en")
    await coordinator.send(f"/audit flag {flag_id}")
    refusal = (await coordinator.wait_for_message()).entities_text
    assert "Audit trail" not in refusal
