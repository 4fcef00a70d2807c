// CareDesk agent console. Everything comes from the staff API (login and calls through
// staff-session.js); customer text is only ever put into the page as text, never as HTML.
"use strict";

(function () {
  const state = { user: null, tickets: [], current: null, socket: null, retry: 1000, drafts: {}, reconnect: null };
  const $ = (selector, root) => (root || document).querySelector(selector);
  const DRAFT_FIELDS = ["t-reply", "t-note", "t-transfer-tier", "t-transfer-note", "t-outcome", "t-resolve-note"];
  const SENT_FIELD = { messages: "t-reply", notes: "t-note", transfer: "t-transfer-note", resolve: "t-resolve-note" };

  const { el, api } = window.CareDeskStaff;

  async function start() {
    const me = await api("GET", "/api/v1/me");
    state.user = me.user;
    $("#who").textContent = me.user.display_name + " · " + me.user.role.replace("_", " ") +
      (me.user.tier ? " · tier " + me.user.tier : "");
    $("#reports-link").hidden = !["admin", "account_manager"].includes(me.user.role);
    $("#trainer-link").hidden = !["admin", "trainer"].includes(me.user.role);
    $("#returns-link").hidden = me.user.role === "trainer";
    $("#login").hidden = true;
    $("#app").hidden = false;
    await loadQueue();
    connect();
  }

  // --- live updates -----------------------------------------------------------------------
  // the socket's close code once the session is over (a logout elsewhere, a deactivation, a
  // password change): the console logs out rather than reconnect
  const SESSION_ENDED = 4401;

  function connect() {
    state.reconnect = null;
    if (!CareDeskStaff.token()) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + "/api/v1/staff/ws?token=" + encodeURIComponent(CareDeskStaff.token()));
    state.socket = socket;
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      // accepted only now: a refused socket opens too, then closes at once
      if (data.type === "ready") { state.retry = 1000; $("#live").textContent = "live"; $("#live").classList.add("on"); loadQueue(); return; }
      if (data.type === "ticket" || data.type === "message" || data.type === "state") {
        loadQueue();
        if (state.current && data.ticket_id === state.current) { loadTicket(state.current); }
      }
    };
    socket.onclose = (event) => {
      $("#live").textContent = "offline";
      $("#live").classList.remove("on");
      if (event.code === SESSION_ENDED) { CareDeskStaff.logout(); return; }
      if (!CareDeskStaff.token()) return;
      state.reconnect = setTimeout(connect, state.retry);
      state.retry = Math.min(state.retry * 2, 15000);
    };
  }

  // --- queue ------------------------------------------------------------------------------
  $("#status-filter").addEventListener("change", loadQueue);

  async function loadQueue() {
    const status = $("#status-filter").value;
    const data = await api("GET", "/api/v1/tickets" + (status ? "?status=" + status : ""));
    if (!CareDeskStaff.token()) return;  // logged out meanwhile
    state.tickets = status ? data.tickets : data.tickets.filter((t) => t.status !== "resolved");
    $("#sla-counts").textContent = "open " + data.sla.open + " · late first response " +
      data.sla.first_response_breached + " · late resolution " + data.sla.resolution_breached;
    renderQueue();
  }

  function renderQueue() {
    const list = $("#tickets");
    list.replaceChildren();
    if (!state.tickets.length) { list.append(el("li", "No tickets here.", "muted")); return; }
    for (const ticket of state.tickets) {
      const item = el("li");
      item.tabIndex = 0;
      item.dataset.ticketId = ticket.id;
      item.setAttribute("aria-current", String(ticket.id === state.current));
      const head = el("div");
      head.append(el("span", "P" + ticket.priority, "tag p" + ticket.priority));
      head.append(el("strong", "#" + ticket.id + " " + (ticket.customer.name || "Unidentified customer") +
                     (ticket.customer.vip ? " (VIP)" : "")));
      item.append(head);
      const tags = el("div");
      for (const reason of ticket.reasons) tags.append(el("span", reason.replace(/_/g, " "), "tag"));
      item.append(tags);
      const late = ticket.sla.first_response_breached || ticket.sla.resolution_breached;
      item.append(el("div", ticket.status + " · tier " + ticket.tier + (ticket.skill ? " " + ticket.skill : "") +
                     (ticket.owner ? " · " + ticket.owner.display_name : "") +
                     // once answered, the next promise is the resolution ("reply due" stayed on
                     // tickets already answered: a staff run)
                     (late ? " · SLA breached" : ticket.sla.first_response_at
                       ? " · resolve by " + time(ticket.sla.resolution_due)
                       : " · reply due " + time(ticket.sla.first_response_due)),
                     late ? "breach" : "muted"));
      item.addEventListener("click", () => loadTicket(ticket.id));
      item.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); loadTicket(ticket.id); } });
      list.append(item);
    }
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleString([], { dateStyle: "short", timeStyle: "short" }) : "—";
  }

  // --- one ticket -------------------------------------------------------------------------
  // `gone`: what to say when the ticket is no longer this member's to see (transferred away)
  async function loadTicket(id, gone) {
    state.current = id;
    renderQueue();
    let ticket;
    try {
      ticket = await api("GET", "/api/v1/tickets/" + id);
    } catch (error) {
      $("#ticket").replaceChildren(gone ? el("p", gone, "t-done") : el("p", error.message, "error"));
      if (gone) state.current = null;
      return;
    }
    if (!CareDeskStaff.token()) return;  // logged out meanwhile
    renderTicket(ticket);
  }

  function fact(list, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    list.append(el("dt", name));
    list.append(el("dd", typeof value === "string" ? value : JSON.stringify(value, null, 1)));
  }

  // "the bot got this wrong": the message goes to the trainers' review inbox
  async function flagForTraining(message, button) {
    try {
      await api("POST", "/api/v1/trainer/flags", { message_id: message.id });
      button.textContent = "Flagged for training";
    } catch (error) {
      button.textContent = error.message;
    }
    button.disabled = true;
  }

  function renderTicket(ticket) {
    const view = $("#ticket-template").content.cloneNode(true);
    const mine = ticket.owner && state.user && ticket.owner.id === state.user.id;
    const admin = state.user && state.user.role === "admin";
    $(".t-title", view).textContent = "Ticket #" + ticket.id + " · " + (ticket.customer.name || "Unidentified customer");
    $(".t-meta", view).textContent = ticket.status + " · tier " + ticket.tier + (ticket.skill ? " (" + ticket.skill + ")" : "") +
      " · priority " + ticket.priority + " · " + ticket.channel +
      (ticket.owner ? " · owner " + ticket.owner.display_name : " · unclaimed");
    const claim = $(".t-claim", view);
    claim.hidden = ticket.status !== "queued";
    claim.addEventListener("click", () => act(ticket.id, "claim", {}));

    $(".t-summary", view).textContent = ticket.context.summary;
    const facts = $(".t-facts", view);
    const profile = ticket.context.profile || {};
    fact(facts, "Reasons", ticket.reasons.join(", "));
    if (ticket.sla.first_response_at) {
      fact(facts, "First reply", time(ticket.sla.first_response_at) + (ticket.sla.first_response_breached ? "  (late)" : ""));
    } else {
      fact(facts, "First reply due", time(ticket.sla.first_response_due) + (ticket.sla.first_response_breached ? "  (breached)" : ""));
    }
    fact(facts, "Resolve by", time(ticket.sla.resolution_due) + (ticket.sla.resolution_breached ? "  (breached)" : ""));
    if (profile.known) {
      fact(facts, "Customer", profile.name + " · " + profile.email + (profile.phone ? " · " + profile.phone : ""));
      fact(facts, "Tier", profile.tier + (profile.vip ? " · VIP" : "") + " · spends " + profile.yearly_spend + " a year");
      fact(facts, "Open orders", (profile.open_orders || []).map((o) => o.number + " (" + o.status + ")").join(", "));
    }
    fact(facts, "Sentiment", (ticket.sentiment || []).map((s) => (s > 0 ? "+" : "") + s.toFixed(2)).join(" → "));
    fact(facts, "Intents", (ticket.context.intents || []).map((i) => i.intent + " " + Math.round(i.confidence * 100) + "%").join(", "));
    fact(facts, "Collected", ticket.context.slots);
    fact(facts, "Entities", (ticket.context.entities || []).map((e) => e.entity + ": " + e.value).join(", "));
    const needs = Object.entries(ticket.context.needs || {}).filter(([, v]) => v);
    fact(facts, "Needs (5W1H)", needs.map(([k, v]) => k + ": " + v).join("\n"));
    fact(facts, "Bot already said", (ticket.context.bot_answers || []).join("\n— "));
    for (const sheet of ticket.requirements || []) {
      const lines = Object.entries(sheet.fields).map(([k, v]) => k + ": " + (v || "not known yet"));
      for (const note of sheet.notes || []) lines.push("added " + time(note.created_at) + ": " + note.text);
      fact(facts, "Requirement " + sheet.reference, lines.join("\n"));
      const download = el("button", "Download " + sheet.reference + ".md", "t-requirement-download");
      download.type = "button";
      download.addEventListener("click", () =>
        CareDeskStaff.download("/api/v1/requirements/" + sheet.id + "/markdown", sheet.reference + ".md"));
      const cell = el("dd");
      cell.append(download);
      facts.append(cell);
    }

    const transcript = $(".transcript", view);
    for (const message of ticket.transcript) {
      const item = el("li", null, message.author);
      item.append(el("span", message.author + " · " + time(message.created_at), "who"));
      item.append(document.createTextNode(message.text || ""));
      if (message.author === "customer") {
        const flag = el("button", "Flag for training", "t-flag");
        flag.type = "button";
        flag.addEventListener("click", () => flagForTraining(message, flag));
        item.append(flag);
      }
      transcript.append(item);
    }

    const history = $(".t-history", view);
    for (const event of ticket.history) {
      const who = event.actor ? event.actor.display_name : "system";
      const item = el("li", time(event.at) + " · " + event.kind.replace("_", " ") + " · " + who +
                      (event.body ? ": " + event.body : ""), event.kind === "note" ? "note" : "");
      history.append(item);
    }

    const suggestions = $(".t-suggestions", view);
    const reply = $(".t-reply", view);
    (ticket.suggestions || []).forEach((s, index) => { const option = el("option", s.title); option.value = String(index); suggestions.append(option); });
    suggestions.addEventListener("change", () => {
      const chosen = ticket.suggestions[Number(suggestions.value)];
      if (chosen) { reply.value = chosen.text; reply.dispatchEvent(new Event("input")); }
    });
    $(".t-reply-box", view).hidden = !mine || ticket.status !== "claimed";
    const note = $(".t-note", view);
    // what the agent is typing survives the re-render that every live update causes
    const drafts = state.drafts[ticket.id] = state.drafts[ticket.id] || {};
    for (const field of DRAFT_FIELDS) {
      const input = $("." + field, view);
      if (drafts[field] !== undefined) input.value = drafts[field];
      input.addEventListener("input", () => { drafts[field] = input.value; });
      input.addEventListener("change", () => { drafts[field] = input.value; });
    }
    // the box stops at 4,000 characters: a pasted longer reply was cut without a word
    const count = $(".t-reply-count", view);
    const counted = () => {
      count.textContent = reply.value.length + "/4000" +
        (reply.value.length >= 4000 ? ": the limit; send the rest in another reply" : "");
    };
    reply.addEventListener("input", counted);
    counted();
    $(".t-send", view).addEventListener("click", () => sendReply(ticket.id, reply.value));
    $(".t-add-note", view).addEventListener("click", () => act(ticket.id, "notes", { text: note.value }));

    $(".t-owner-actions", view).hidden = ticket.status === "resolved" || !(mine || admin);
    $(".t-transfer", view).addEventListener("click", () => {
      const [tier, skill] = $(".t-transfer-tier", document).value.split(":");
      act(ticket.id, "transfer", { tier: Number(tier), skill: skill || null, note: $(".t-transfer-note", document).value });
    });
    $(".t-resolve", view).addEventListener("click", () =>
      act(ticket.id, "resolve", { outcome: $(".t-outcome", document).value, note: $(".t-resolve-note", document).value }));
    $(".t-web-session", view).hidden = ticket.channel !== "web";
    $(".t-end-session", view).addEventListener("click", () =>
      act(ticket.id, "customer-session/revocation", {}));

    const focused = document.activeElement && DRAFT_FIELDS.find((c) => document.activeElement.classList.contains(c));
    $("#ticket").replaceChildren(view);
    if (focused) {
      const field = $("#ticket ." + focused);
      field.focus();
      if (field.setSelectionRange && field.tagName !== "SELECT") field.setSelectionRange(field.value.length, field.value.length);
    }
    const list = $("#ticket .transcript");
    list.scrollTop = list.scrollHeight;
  }

  // A reply carries its own id, kept with the draft until it is sent: when the connection
  // drops (the gateway restarting), the console sends it again with the same id, and so
  // does a second click on Send, and the customer gets it once.
  const REPLY_RETRIES = [1000, 2000, 4000, 8000, 15000, 15000];

  function newId() {
    return (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random().toString(16).slice(2);
  }

  async function sendReply(id, text) {
    const drafts = state.drafts[id] = state.drafts[id] || {};
    if (!drafts.replyId || drafts.replyText !== text) { drafts.replyId = newId(); drafts.replyText = text; }
    const body = { text, client_message_id: drafts.replyId };
    for (let attempt = 0; ; attempt += 1) {
      try {
        await api("POST", "/api/v1/tickets/" + id + "/messages", body);
        break;
      } catch (error) {
        const box = $("#ticket .t-error");
        const retry = (!error.status || error.status >= 500) && attempt < REPLY_RETRIES.length;
        if (box) box.textContent = retry ? "Connection lost; sending again…" : error.message;
        if (!retry) return false;
        await new Promise((resolve) => setTimeout(resolve, REPLY_RETRIES[attempt]));
      }
    }
    delete drafts.replyId;
    delete drafts.replyText;
    return done(id, "messages");
  }

  async function act(id, action, body) {
    try {
      await api("POST", "/api/v1/tickets/" + id + "/" + action, body);
    } catch (error) {
      const box = $("#ticket .t-error");
      if (box) box.textContent = error.message;
      return false;
    }
    return done(id, action);
  }

  // after a staff action went through: the draft it sent is gone, the view is fresh
  async function done(id, action) {
    delete (state.drafts[id] || {})[SENT_FIELD[action]];
    // a ticket transferred to another queue is no longer this member's to see: that is the
    // transfer done, not an error (it read as a failure in red, a staff run)
    await loadTicket(id, action === "transfer" ? "Transferred: the ticket is in its new queue, with your note." : undefined);
    await loadQueue();
    return true;
  }

  // logged out (by the button, a refused call or the end of the session): no reconnecting,
  // and no customer data left in the page
  CareDeskStaff.setUp(start, () => {
    if (state.socket) { state.socket.onclose = null; state.socket.close(); state.socket = null; }
    clearTimeout(state.reconnect);
    Object.assign(state, { user: null, tickets: [], current: null, retry: 1000, drafts: {}, reconnect: null });
    $("#tickets").replaceChildren();
    $("#ticket").replaceChildren(el("p", "Pick a ticket from the queue.", "muted"));
    $("#who").textContent = "";
    $("#sla-counts").textContent = "";
    $("#live").textContent = "offline";
    $("#live").classList.remove("on");
  });
})();
