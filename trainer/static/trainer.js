// CareDesk trainer workbench: the review inbox and a decision per message. Logs in through
// staff-session.js; customer text is only ever put into the page as text, never as HTML.
"use strict";

(function () {
  const READERS = ["trainer", "admin"];
  const REASONS = { low_confidence: "low confidence", fallback: "fell back",
                    escalated: "handed to a person", resolved_ticket: "began a resolved handoff",
                    flagged: "flagged by an agent",
                    sample: "spot check" };
  const $ = (selector, root) => (root || document).querySelector(selector);
  const { el, api } = window.CareDeskStaff;

  async function start() {
    const me = (await api("GET", "/api/v1/me")).user;
    if (!READERS.includes(me.role)) {
      $("#login-error").textContent = "The workbench is for trainers and admins.";
      return;
    }
    $("#who").textContent = me.display_name + " · " + me.role;
    $("#login").hidden = true;
    $("#app").hidden = false;
    const names = (await api("GET", "/api/v1/trainer/intents")).intents;
    $("#intent-names").replaceChildren(...names.map((name) => { const o = el("option"); o.value = name; return o; }));
    await load();
  }

  $("#filters").addEventListener("submit", (event) => { event.preventDefault(); load(); });
  $("#filter").addEventListener("change", load);

  let loads = 0;

  async function load() {
    $("#inbox-error").textContent = "";
    const mine = ++loads;
    try {
      const wanted = $("#filter").value;
      const data = await api("GET", "/api/v1/trainer/inbox" + (wanted ? "?filter=" + wanted : ""));
      if (mine !== loads) return;  // a newer request (another filter) answers instead
      $("#threshold").textContent = "Low confidence: below " + Math.round(data.threshold * 100) + "%";
      $("#inbox-status").textContent = data.items.length + " message(s) to review";
      $("#inbox").replaceChildren(...data.items.map(render));
      $("#inbox").dataset.filter = wanted || "all";
    } catch (error) {
      $("#inbox-error").textContent = error.message;
    }
  }

  function percent(value) { return Math.round(value * 100) + "%"; }

  function render(item) {
    const view = $("#item-template").content.firstElementChild.cloneNode(true);
    view.dataset.id = String(item.id);
    $(".text", view).textContent = item.text;
    $(".meta", view).textContent = item.reasons.map((r) => REASONS[r] || r).join(" · ") + " · " +
      item.at.replace("T", " ").slice(0, 16) + " UTC · conversation " + item.conversation_id +
      (item.flag_note ? " · agent's note: " + item.flag_note : "") +
      (item.ticket_reasons.length ? " · ticket: " + item.ticket_reasons.join(", ").replace(/_/g, " ") : "");
    $(".prediction", view).textContent = "Predicted: " + item.intent + " (" + percent(item.confidence) + ")";
    $(".next", view).textContent = item.next_best.length
      ? "Next best: " + item.next_best.map((n) => n.intent + " " + percent(n.confidence)).join(", ") : "";
    $(".entities", view).textContent = item.entities.length
      ? "Entities: " + item.entities.map((e) => e.entity + " = " + e.value).join(", ") : "";
    const confirm = $(".confirm", view);
    confirm.textContent = "Confirm " + item.intent;
    confirm.hidden = item.intent === "nlu_fallback";
    confirm.addEventListener("click", () => decide(view, item, { verdict: "confirm" }));
    $(".correct", view).addEventListener("click", () => decide(view, item, {
      verdict: "correct", intent: $(".intent", view).value.trim(), create_intent: $(".create", view).checked }));
    $(".discard", view).addEventListener("click", () => decide(view, item, { verdict: "discard" }));
    $(".show-conversation", view).addEventListener("click", () => showConversation(view, item));
    return view;
  }

  async function decide(view, item, decision) {
    const outcome = $(".outcome", view);
    outcome.classList.remove("error");
    try {
      const done = await api("POST", "/api/v1/trainer/inbox/" + item.id + "/decision", decision);
      outcome.textContent = done.verdict === "discard" ? "Discarded."
        : "Written as an example of " + done.intent + ": " + done.example;
      view.querySelectorAll(".actions button, .actions input").forEach((node) => { node.disabled = true; });
      view.classList.add("decided");
    } catch (error) {
      outcome.textContent = error.message;
      outcome.classList.add("error");
    }
  }

  async function showConversation(view, item) {
    const list = $(".conversation", view);
    if (!list.hidden) { list.hidden = true; return; }
    const data = await api("GET", "/api/v1/trainer/conversations/" + encodeURIComponent(item.conversation_id));
    list.replaceChildren(...data.messages.map((m) => el("li", m.author + ": " + (m.text || ""))));
    list.hidden = false;
  }

  CareDeskStaff.setUp(start);
})();
