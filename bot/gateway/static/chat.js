// CareDesk web chat. Every text is put on the page with textContent, never as HTML.
"use strict";

(function () {
  const STORE_KEY = "caredesk.conversation";
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const counter = document.getElementById("counter");
  const statusLine = document.getElementById("status");
  const typing = document.getElementById("typing");
  const errorLine = document.getElementById("error");
  const AUTHOR_LABEL = { customer: "You", bot: "Assistant", agent: "Agent", system: "Harbor Goods" };

  const embedded = new URLSearchParams(location.search).get("embed") === "1" && window.parent !== window;
  if (embedded) {
    document.body.classList.add("embed");
    // Escape inside the frame closes the widget around it
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") window.parent.postMessage({ caredesk: "close" }, "*");
    });
  }

  let conversation = null; // {id, token}
  let lastId = 0;
  let socket = null;
  let retryDelay = 1000;
  let ended = false; // the token was revoked
  let state = "bot"; // who has the conversation: bot, queued (waiting for a person) or agent
  const shown = new Map(); // message id -> element
  const pending = new Map(); // client_message_id -> element

  function setStatus(text) { statusLine.textContent = text; }
  function showError(text) { errorLine.textContent = text; errorLine.hidden = !text; }

  // a help-centre link (/help/<slug>, given with the assistant's answers from an article)
  // becomes a link; everything else stays text
  const HELP_LINK = /\/help\/[a-z0-9]+(?:-[a-z0-9]+)*(?![\w-])/g;
  function appendText(parent, text) {
    let from = 0;
    for (const found of text.matchAll(HELP_LINK)) {
      parent.appendChild(document.createTextNode(text.slice(from, found.index)));
      const link = document.createElement("a");
      link.href = found[0];
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = found[0];
      parent.appendChild(link);
      from = found.index + found[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(from)));
  }

  function bubble(author, text, buttons) {
    const item = document.createElement("li");
    item.className = "msg msg--" + (AUTHOR_LABEL[author] ? author : "system");
    const label = document.createElement("span");
    label.className = "msg__author";
    label.textContent = AUTHOR_LABEL[author] || "Harbor Goods";
    item.appendChild(label);
    appendText(item, text || "");
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      for (const button of buttons) {
        const press = document.createElement("button");
        press.type = "button";
        press.textContent = button.title || button.payload;
        press.addEventListener("click", () => send({ payload: button.payload }, button.title));
        row.appendChild(press);
      }
      item.appendChild(row);
    }
    return item;
  }

  function show(message) {
    if (shown.has(message.id)) return;
    if (message.id > lastId) lastId = message.id;
    const element = bubble(message.author, message.text, message.buttons);
    shown.set(message.id, element);
    const optimistic = message.client_message_id && pending.get(message.client_message_id);
    if (optimistic) {
      optimistic.replaceWith(element);
      pending.delete(message.client_message_id);
    } else {
      log.appendChild(element);
    }
    if (message.author === "agent") setStatus("A person has joined the conversation");
    element.scrollIntoView({ block: "end" });
  }

  function showState(now) {
    state = now;
    if (state === "queued") setStatus("A person will take over shortly");
    else if (state === "agent") setStatus("A person has joined the conversation");
    else if (state === "bot" && socket && socket.readyState === WebSocket.OPEN) setStatus("Connected");
  }

  async function api(path, options) {
    const headers = { "Content-Type": "application/json" };
    if (conversation) headers.Authorization = "Bearer " + conversation.token;
    const response = await fetch(path, Object.assign({ headers }, options));
    let body = null;
    try { body = await response.json(); } catch (ignored) { body = null; }
    if (!response.ok) {
      const error = new Error((body && body.error && body.error.message) || "request failed");
      error.status = response.status;
      throw error;
    }
    return body;
  }

  // A new conversation; the previous one's token (sent as the bearer) is ended with it.
  async function startConversation() {
    const created = await api("/api/v1/conversations", { method: "POST" });
    conversation = { id: created.id, token: created.token };
    localStorage.setItem(STORE_KEY, JSON.stringify(conversation));
  }

  // Tokens last a week: each visit swaps the stored one for a fresh one.
  async function refreshToken() {
    const fresh = await api("/api/v1/conversations/" + conversation.id + "/token", { method: "POST" });
    conversation = { id: fresh.id, token: fresh.token };
    localStorage.setItem(STORE_KEY, JSON.stringify(conversation));
  }

  async function catchUp() {
    const page = await api("/api/v1/conversations/" + conversation.id + "/messages?after=" + lastId);
    page.messages.forEach(show);
    showState(page.state);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const url = scheme + location.host + "/api/v1/conversations/" + conversation.id +
      "/ws?token=" + encodeURIComponent(conversation.token) + "&after=" + lastId;
    socket = new WebSocket(url);
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "message") show(data.message);
      // (a reload while waiting for a person said "Connected", not that a person is coming)
      else if (data.type === "ready") { retryDelay = 1000; showState(state); }
      else if (data.type === "flagged") setStatus("A person will take over shortly");
      // the assistant is working on a turn (sent again while it waits); carries no text
      else if (data.type === "typing") typing.hidden = !data.active;
      else if (data.type === "state") showState(data.state);
      else if (data.type === "error") {
        ended = data.status === 401;
        setStatus(ended ? "This conversation has ended. Press New conversation to start again."
          : "This conversation is not available");
      }
    });
    socket.addEventListener("close", () => {
      if (ended) return; // a revoked token: reconnecting cannot help
      setStatus("Reconnecting…");
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    });
  }

  // A message keeps its id across every attempt to send it, and when all fail, a resend of
  // the same message by the customer uses it again: the gateway may have stored it before
  // the connection dropped (a restart), and the same id is stored once.
  const RETRY_WAITS = [1000, 2000, 4000, 8000, 15000];
  let unsent = null; // {key, clientId} of the last message that could not be sent

  async function send(body, shownText) {
    showError("");
    const key = JSON.stringify(body);
    const clientId = (unsent && unsent.key === key && unsent.clientId) ||
      (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random();
    unsent = null;
    const optimistic = bubble("customer", shownText || body.text);
    optimistic.classList.add("msg--pending");
    pending.set(clientId, optimistic);
    log.appendChild(optimistic);
    typing.hidden = false;
    for (let attempt = 0; attempt <= RETRY_WAITS.length; attempt += 1) {
      try {
        const result = await api("/api/v1/conversations/" + conversation.id + "/messages", {
          method: "POST", body: JSON.stringify(Object.assign({ client_message_id: clientId }, body)),
        });
        result.message.client_message_id = clientId;
        show(result.message);
        result.replies.forEach(show);
        showState(result.state);
        typing.hidden = true;
        return true;
      } catch (error) {
        if (error.status && error.status !== 429 && error.status < 500) {
          optimistic.remove();
          pending.delete(clientId);
          typing.hidden = true;
          showError(error.message);
          return false;
        }
        if (error.status === 429) { showError("You're sending messages quickly — please wait a moment."); break; }
        if (attempt === RETRY_WAITS.length) break;
        setStatus("Reconnecting…");
        await new Promise((resolve) => setTimeout(resolve, RETRY_WAITS[attempt]));
      }
    }
    unsent = { key, clientId };
    optimistic.remove();
    pending.delete(clientId);
    typing.hidden = true;
    if (!errorLine.textContent) showError("Your message could not be sent. Please try again.");
    return false;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    counter.textContent = "0/4000";
    if (!(await send({ text }))) input.value = text; // nothing typed is lost
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  input.addEventListener("input", () => { counter.textContent = input.value.length + "/4000"; });
  document.getElementById("restart").addEventListener("click", async () => {
    // waiting for a person, a new conversation left the place in the queue without a word,
    // and the person's reply went to a chat the customer could no longer read (a staff run)
    if ((state === "queued" || state === "agent") && !window.confirm(
      "A person from our team is going to reply in this conversation. If you start a new one, " +
      "you can't come back to it. Start a new conversation anyway?")) return;
    try { await startConversation(); } catch (error) { localStorage.removeItem(STORE_KEY); }
    location.reload();
  });

  async function boot() {
    try {
      conversation = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (conversation) {
        try { await catchUp(); } catch (error) { conversation = null; }
        if (conversation) { try { await refreshToken(); } catch (ignored) { /* keep the one we have */ } }
      }
      if (!conversation) await startConversation();
      connect();
    } catch (error) {
      setStatus("Can't reach the chat service; retrying…");
      setTimeout(boot, 3000);
    }
  }
  boot();
}());
