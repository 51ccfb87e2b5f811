// The sandbox's web chat: vanilla JavaScript, no build step, nothing fetched from elsewhere.
// Message HTML comes from the server, rebuilt from Telegram's entities with every character
// of text escaped (bot/sandbox/render.py), so it is the only markup set with innerHTML.
"use strict";

const WORDS = {
  sv: { title: "Samverkan · sandlåda", local: "Inget lämnar den här datorn", morning: "→ 07:00",
    reset: "Börja om", menu: "☰ Meny", attach: "📎 Fil", location: "📍 Plats", send: "Skicka",
    office: "På kontoret", outside: "Utanför området", share: "Dela", lang: "English",
    people: "Personer", channel: "Kanal (invånarnas tavla)", protected: "🔒 kan inte vidarebefordras",
    edited: "redigerat", refused: "Telegram skulle vägra detta", ahead: "före", placeholder: "Meddelande",
    invite: "Ny här: skicka /start med koden för att bli den första administratören.",
    readonly: "Kanalen är bara för läsning: boten skriver, invånarna läser.",
    download: "Ladda ned", startOver: "Börja om från demoläget? Allt som hänt försvinner." },
  en: { title: "Samverkan · sandbox", local: "Nothing leaves this machine", morning: "→ 07:00",
    reset: "Start over", menu: "☰ Menu", attach: "📎 File", location: "📍 Location", send: "Send",
    office: "At the office", outside: "Outside the area", share: "Share", lang: "Svenska",
    people: "People", channel: "Channel (residents' board)", protected: "🔒 cannot be forwarded",
    edited: "edited", refused: "Telegram would refuse this", ahead: "ahead", placeholder: "Message",
    invite: "New here: send /start with the code to become the first admin.",
    readonly: "The channel is read-only: the bot writes, residents read.",
    download: "Download", startOver: "Start over from the demo? Everything that happened goes." },
};
const ROLES = { coordinator: ["Samordnare", "Coordinator"], admin: ["Administratör", "Admin"],
  expert: ["Expert", "Expert"], newcomer: ["Ny", "Newcomer"] };

const view = { lang: "sv", world: null, chat: null, version: "", poll: null, seen: new Set(),
  fresh: true };
const $ = (id) => document.getElementById(id);
const w = (key) => WORDS[view.lang][key];

async function post(path, body) {
  const options = { method: "POST", headers: { "X-Sandbox": "1" } };
  if (body instanceof FormData) options.body = body;
  else { options.body = JSON.stringify(body); options.headers["Content-Type"] = "application/json"; }
  const response = await fetch(path, options);
  if (!response.ok) toast(await response.text());
  return response;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "onclick") node.addEventListener("click", value);
    else if (key === "html") node.innerHTML = value;
    else if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function translate() {
  document.documentElement.lang = view.lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = w(node.dataset.t);
  $("lang").textContent = w("lang");
  $("text").placeholder = w("placeholder");
  if (view.world) { renderPersonas(); renderHead(); }
}

function renderHead() {
  if (view.chat === null) return;
  const who = persona(view.chat);
  $("who").textContent = who ? who.name : view.world.channel.title;
  $("role").textContent = who ? roleName(who) : w("readonly");
}

async function loadWorld() {
  let response = await fetch("/api/world");
  while (response.status === 503) {  // starting, or starting over
    $("who").textContent = "…";
    await new Promise((resolve) => setTimeout(resolve, 500));
    response = await fetch("/api/world");
  }
  view.world = await response.json();
  renderClock(view.world.clock);
  renderPersonas();
  const ids = chatIds();
  choose(ids.includes(view.chat) ? view.chat : ids[0]);
}

function chatIds() {
  const ids = view.world.personas.map((p) => p.user_id);
  if (view.world.channel) ids.push(view.world.channel.id);
  return ids;
}

function roleName(persona) {
  const names = ROLES[persona.role] || [persona.role, persona.role];
  const role = names[view.lang === "sv" ? 0 : 1];
  const agency = persona.agency_short ? persona.agency_short[view.lang] : persona.agency;
  return agency ? `${role} · ${agency}` : role;
}

function renderPersonas() {
  const nav = $("personas");
  nav.replaceChildren(el("h3", {}, w("people")));
  const order = { admin: 0, coordinator: 1, newcomer: 2, expert: 3 };
  const people = [...view.world.personas].sort((a, b) =>
    (order[a.role] - order[b.role]) || (a.agency || "").localeCompare(b.agency || ""));
  for (const p of people) {
    nav.append(el("button", { "data-persona": p.user_id, "data-testid": `persona-${p.user_id}`,
      class: p.user_id === view.chat ? "active" : null, onclick: () => choose(p.user_id) },
      p.name, " ", el("small", {}, roleName(p))));
  }
  if (view.world.channel) {
    const c = view.world.channel;
    nav.append(el("h3", {}, w("channel")));
    nav.append(el("button", { "data-persona": c.id, "data-testid": "channel",
      class: c.id === view.chat ? "active" : null, onclick: () => choose(c.id) }, c.title));
  }
}

function persona(id) { return view.world.personas.find((p) => p.user_id === id); }

function choose(id) {
  if (view.poll) view.poll.abort();
  view.chat = id; view.version = ""; view.fresh = true; view.drawn = "";
  const who = persona(id);
  document.body.classList.toggle("readonly", !who);
  renderHead();
  $("messages").replaceChildren();
  $("menu").hidden = true; $("location").hidden = true;
  if (who && view.world.invite && !$("text").value) $("text").value = `/start ${view.world.invite}`;
  renderPersonas();
  const controller = new AbortController();
  view.poll = controller;
  pollLoop(id, controller.signal);
}

async function pollLoop(id, signal) {
  while (!signal.aborted) {
    try {
      const response = await fetch(`/api/chat/${id}?version=${encodeURIComponent(view.version)}`, { signal });
      if (response.status === 404 || response.status === 503) { await loadWorld(); return; }
      const data = await response.json();
      if (signal.aborted) return;
      if (data.generation !== view.world.generation) { await loadWorld(); return; }
      view.version = data.version;
      render(data);
    } catch (error) {
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function renderClock(clock) {
  $("clock").textContent = `${clock.date} ${clock.time}`;
  $("clock").title = clock.ahead_minutes ? `${clock.ahead_minutes} min ${w("ahead")}` : "";
  $("clock").dataset.ahead = clock.ahead_minutes;
}

function render(data) {
  renderClock(data.clock);
  // Other chats change the version too: redraw only when this chat changed.
  const drawn = JSON.stringify([data.messages, data.errors, data.keyboard, data.commands, data.answers]);
  if (drawn === view.drawn) return;
  view.drawn = drawn;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const nodes = [];
  if (view.world.invite) nodes.push(el("div", { class: "hint" }, w("invite")));
  const errors = [...data.errors];
  const flushErrors = (upTo) => {
    while (errors.length && errors[0].after <= upTo) nodes.push(errorBubble(errors.shift()));
  };
  for (const message of data.messages) {
    flushErrors(message.id - 1);
    nodes.push(bubble(message));
  }
  flushErrors(Infinity);
  box.replaceChildren(...nodes);
  if (atBottom || view.fresh) box.scrollTop = box.scrollHeight;
  renderKeyboard(data.keyboard);
  renderMenu(data.commands);
  for (const answer of data.answers) {
    if (view.seen.has(answer.id)) continue;
    view.seen.add(answer.id);
    if (!view.fresh) answer.alert ? showAlert(answer.text) : toast(answer.text);
  }
  view.fresh = false;
}

function bubble(m) {
  const node = el("div", { class: m.mine ? "msg mine" : "msg", "data-message": m.id,
    "data-testid": "message" });
  if (m.photo) {
    node.append(el("a", { href: m.photo, target: "_blank" },
      el("img", { src: m.photo, alt: "photo", "data-testid": "photo" })));
  }
  if (m.document) {
    node.append(el("a", { href: m.document.url, download: m.document.name, "data-testid": "document" },
      `📄 ${m.document.name}`), el("div", { class: "meta" }, `${Math.ceil(m.document.size / 1024)} kB · ${w("download")}`));
  }
  if (m.venue) {  // a named place: its name and address, as Telegram shows a venue
    node.append(el("div", { "data-testid": "shared-venue" }, el("b", {}, `📍 ${m.venue.title}`)),
      el("div", { class: "meta" }, m.venue.address));
  } else if (m.location) {
    node.append(el("div", { "data-testid": "shared-location" },
      `📍 ${m.location.latitude.toFixed(5)}, ${m.location.longitude.toFixed(5)}`));
  }
  if (m.html) node.append(el("div", { class: "text", html: m.html }));
  if (m.inline.length) {
    const rows = el("div", { class: "inline" });
    m.inline.forEach((row, r) => {
      const line = el("div", { class: "row" });
      row.forEach((button, c) => {
        if (button.url) {
          line.append(el("a", { href: button.url, target: "_blank", rel: "noopener noreferrer" }, `${button.text} ↗`));
        } else {
          line.append(el("button", { type: "button", "data-testid": "inline-button",
            onclick: () => post("/api/press", { persona: view.chat, message: m.id, row: r, col: c }) },
            button.text));
        }
      });
      rows.append(line);
    });
    node.append(rows);
  }
  const meta = [];
  if (m.protected) meta.push(el("span", { class: "protected", "data-testid": "protected" }, w("protected")));
  if (m.edited) meta.push(el("span", { "data-testid": "edited" }, ` ${w("edited")}`));
  if (meta.length) node.append(el("div", { class: "meta" }, ...meta));
  for (const spoiler of node.querySelectorAll(".tg-spoiler")) {
    spoiler.addEventListener("click", () => spoiler.classList.add("shown"));
  }
  return node;
}

function errorBubble(error) {
  return el("div", { class: "msg error", "data-testid": "error-bubble" },
    el("strong", {}, `⚠ ${w("refused")}: `), `${error.method}: ${error.description}`,
    error.text ? el("div", { class: "meta" }, error.text) : "");
}

function renderKeyboard(keyboard) {
  const box = $("keyboard");
  box.replaceChildren();
  if (!keyboard) return;
  for (const row of keyboard.rows) {
    const line = el("div", { class: "row" });
    for (const button of row) {
      line.append(el("button", { type: "button", "data-testid": "reply-button",
        onclick: () => button.location ? openLocation() : post("/api/send", { persona: view.chat, text: button.text }) },
        button.text));
    }
    box.append(line);
  }
}

function renderMenu(commands) {
  const menu = $("menu");
  menu.replaceChildren(...commands.map((c) => el("button", { type: "button", "data-testid": `command-${c.command}`,
    onclick: () => { menu.hidden = true; post("/api/send", { persona: view.chat, text: `/${c.command}` }); } },
    `/${c.command} — ${c.description}`)));
}

function openLocation() { $("menu").hidden = true; $("location").hidden = false; }

function toast(text) {
  const node = el("div", { class: "toast", "data-testid": "toast" }, text);
  $("toasts").append(node);
  setTimeout(() => node.remove(), 4000);
}

function showAlert(text) { $("alert-text").textContent = text; $("alert").hidden = false; }

function wire() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value.trim();
    if (!text) return;
    $("text").value = "";
    post("/api/send", { persona: view.chat, text });
  });
  $("menu-button").addEventListener("click", () => { $("location").hidden = true; $("menu").hidden = !$("menu").hidden; });
  $("location-button").addEventListener("click", () => $("location").hidden ? openLocation() : ($("location").hidden = true));
  for (const button of document.querySelectorAll("[data-where]")) {
    button.addEventListener("click", () => { $("location").hidden = true; post("/api/location", { persona: view.chat, where: button.dataset.where }); });
  }
  $("share-point").addEventListener("click", () => {
    $("location").hidden = true;
    post("/api/location", { persona: view.chat, lat: $("lat").value, lon: $("lon").value });
  });
  $("file").addEventListener("change", () => {
    const file = $("file").files[0];
    if (!file) return;
    const form = new FormData();
    form.append("persona", view.chat);
    form.append("file", file);
    $("file").value = "";
    post("/api/upload", form);
  });
  for (const button of document.querySelectorAll("[data-skip], [data-morning]")) {
    button.addEventListener("click", async () => {
      const body = button.dataset.morning ? { morning: true } : { minutes: Number(button.dataset.skip) };
      const response = await post("/api/clock", body);
      if (response.ok) renderClock((await response.json()).clock);
    });
  }
  $("reset").addEventListener("click", async () => {
    if (!confirm(w("startOver"))) return;
    if (view.poll) view.poll.abort();
    view.seen.clear();
    await post("/api/reset", {});
    await loadWorld();
  });
  $("lang").addEventListener("click", () => { view.lang = view.lang === "sv" ? "en" : "sv"; translate(); });
  $("alert-ok").addEventListener("click", () => { $("alert").hidden = true; });
}

wire();
translate();
loadWorld();
