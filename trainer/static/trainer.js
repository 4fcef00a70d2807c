// CareDesk trainer workbench: the review inbox and a decision per message, and the models:
// train one, follow the run, compare it with the active one, activate it (through the
// gate), roll back. Logs in through staff-session.js; customer and trainer text is only ever
// put into the page as text, never as HTML. Messages come with personal data replaced by
// placeholders (entity spans are marked on that text); "Reveal original" asks for a reason
// and shows the customer's own words beside it, never in place of it.
"use strict";

(function () {
  const READERS = ["trainer", "admin"];
  const REASONS = { low_confidence: "low confidence", fallback: "fell back",
                    escalated: "handed to a person", resolved_ticket: "began a resolved handoff",
                    flagged: "flagged by an agent",
                    sample: "spot check", unanswered: "no help article fitted",
                    unhelpful: "help article did not help" };
  const $ = (selector, root) => (root || document).querySelector(selector);
  const { el, api, request } = window.CareDeskStaff;

  async function start() {
    const me = (await api("GET", "/api/v1/me")).user;
    if (!READERS.includes(me.role)) {
      $("#login-error").textContent = "The workbench is for trainers and admins.";
      return;
    }
    $("#who").textContent = me.display_name + " · " + me.role;
    $("#login").hidden = true;
    $("#app").hidden = false;
    role = me.role;
    signedIn = true;
    // the inbox is asked first, so that a filter chosen meanwhile is the answer shown last
    const inbox = load();
    loadModels();
    listenToModels();
    const labels = await api("GET", "/api/v1/trainer/intents");
    $("#intent-names").replaceChildren(...labels.intents.map((name) => { const o = el("option"); o.value = name; return o; }));
    entityNames = labels.entities;
    document.querySelectorAll("#inbox .entity-name").forEach(fillEntityNames);
    await inbox;
  }

  $("#filters").addEventListener("submit", (event) => { event.preventDefault(); load(); });
  $("#filter").addEventListener("change", load);

  let loads = 0;
  let entityNames = [];

  function fillEntityNames(select) {
    if (select.options.length) return;
    select.replaceChildren(...entityNames.map((name) => { const o = el("option", name); o.value = name; return o; }));
  }

  // the words the trainer selected in the message, as character offsets of its text
  function selectedSpan(textNode) {
    const selection = window.getSelection();
    if (!selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    if (range.startContainer !== textNode || range.endContainer !== textNode) return null;
    let start = range.startOffset, end = range.endOffset;
    const text = textNode.textContent;
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    // the server counts characters (code points), the browser UTF-16 units
    const characters = (n) => Array.from(text.slice(0, n)).length;
    return start < end ? { start: characters(start), end: characters(end) } : null;
  }

  function spanText(text, span) { return Array.from(text).slice(span.start, span.end).join(""); }

  function markEntities(view, item) {
    const spans = [];
    const list = $(".spans", view);
    const select = $(".entity-name", view);
    fillEntityNames(select);
    const show = () => list.replaceChildren(...spans.map((span, index) => {
      const chip = el("li", spanText(item.text, span) + " → " + span.entity + " ");
      const remove = el("button", "Remove");
      remove.type = "button";
      remove.setAttribute("aria-label", "Remove " + spanText(item.text, span));
      remove.addEventListener("click", () => { spans.splice(index, 1); show(); });
      chip.append(remove);
      return chip;
    }));
    $(".mark", view).addEventListener("click", () => {
      const outcome = $(".outcome", view);
      const span = selectedSpan($(".text", view).firstChild);
      if (!span) {
        outcome.textContent = "Select words of the message first, then mark them.";
        outcome.classList.add("error");
        return;
      }
      outcome.textContent = "";
      outcome.classList.remove("error");
      spans.push({ ...span, entity: select.value });
      spans.sort((a, b) => a.start - b.start);
      show();
    });
    return spans;
  }

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
      $("#inbox").dataset.filter = wanted || "review";  // "all" is a filter of its own
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
    if (item.help_article) {  // the help centre's best article: what answered, or nearly did
      const link = $(".help-article-link", view);
      link.href = "/help/" + encodeURIComponent(item.help_article.slug);
      link.textContent = item.help_article.title + " – " + item.help_article.section;
      $(".help-article-score", view).textContent = "(score " + item.help_article.score.toFixed(2) +
        (item.help_article.confident ? ", answered with it)" : ", too low to answer)");
      $(".help-article", view).hidden = false;
    }
    $(".prediction", view).textContent = "Predicted: " + item.intent + " (" + percent(item.confidence) + ")";
    $(".next", view).textContent = item.next_best.length
      ? "Next best: " + item.next_best.map((n) => n.intent + " " + percent(n.confidence)).join(", ") : "";
    $(".entities", view).textContent = item.entities.length
      ? "Entities: " + item.entities.map((e) => e.entity + " = " + e.value).join(", ") : "";
    const confirm = $(".confirm", view);
    confirm.textContent = "Confirm " + item.intent;
    confirm.hidden = item.intent === "nlu_fallback";
    const spans = markEntities(view, item);
    confirm.addEventListener("click", () => decide(view, item, { verdict: "confirm", entities: spans }));
    $(".correct", view).addEventListener("click", () => decide(view, item, {
      verdict: "correct", intent: $(".intent", view).value.trim(), create_intent: $(".create", view).checked,
      entities: spans }));
    $(".discard", view).addEventListener("click", () => decide(view, item, { verdict: "discard" }));
    $(".show-conversation", view).addEventListener("click", () => showConversation(view, item));
    const revealForm = $(".reveal-form", view);
    $(".reveal-open", view).addEventListener("click", () => {
      revealForm.hidden = false;
      $(".reveal-reason", view).focus();
    });
    $(".reveal-cancel", view).addEventListener("click", () => { revealForm.hidden = true; });
    revealForm.addEventListener("submit", (event) => { event.preventDefault(); reveal(view, item); });
    return view;
  }

  // the customer's own words, for a reason the server records first
  async function reveal(view, item) {
    const outcome = $(".outcome", view);
    outcome.textContent = "";
    outcome.classList.remove("error");
    $(".reveal-submit", view).disabled = true;
    try {
      const original = await api("POST", "/api/v1/trainer/inbox/" + item.id + "/reveal",
                                 { reason: $(".reveal-reason", view).value });
      $(".original-text", view).textContent = original.text;
      $(".original", view).hidden = false;
      $(".reveal-form", view).hidden = true;
      $(".reveal-open", view).hidden = true;
    } catch (error) {
      outcome.textContent = error.message;
      outcome.classList.add("error");
    } finally {
      $(".reveal-submit", view).disabled = false;
    }
  }

  async function decide(view, item, decision) {
    const outcome = $(".outcome", view);
    outcome.classList.remove("error");
    try {
      const done = await api("POST", "/api/v1/trainer/inbox/" + item.id + "/decision", decision);
      outcome.textContent = done.verdict === "discard" ? "Discarded."
        : "Written as an example of " + done.intent + ": " + done.example;
      view.querySelectorAll(".actions button, .actions input, .actions select").forEach((node) => { node.disabled = true; });
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

  // --- models ------------------------------------------------------------------------------
  const MODELS = "/api/v1/trainer/models";
  const POLL_MS = 2000;
  const EVALUATION_WAIT_MS = 5 * 60 * 1000;
  const TOLERANCE = 0.00005;  // as trainer/gate.py: scores are stored rounded to four places
  let role = "";
  let signedIn = false;
  let models = { versions: [], active: null, running: null, rollback_to: null };
  let modelsTimer = null;
  let compared = null, comparisons = 0, evaluateTarget = null;
  // the evaluation waited for ({ id, deadline } or null), its next look while the socket is
  // down, its 5-minute deadline
  let evaluation = null, waitTimer = null, evaluationDeadline = null;
  const EVALUATING = "evaluating on the current test set";  // trainer/training_run.py's stages
  const EVALUATION_FAILED = "evaluation failed";

  const name = (id) => "v" + id;
  const f1 = (value) => value.toFixed(3);
  const accuracy = (value) => (value * 100).toFixed(1) + "%";
  const stories = (s) => s.stories_passed.length + "/" + (s.stories_passed.length + s.stories_failed.length);
  const when = (iso) => (iso ? iso.replace("T", " ").slice(0, 16) + " UTC" : "");

  function row(label, ...cells) {
    const tr = el("tr");
    const head = el("th", label);
    head.scope = "row";
    tr.append(head, ...cells.map((text) => el("td", text)));
    return tr;
  }

  function say(where, text, isError) {
    $("#" + where + "-status").textContent = isError ? "" : text;
    $("#" + where + "-error").textContent = isError ? text : "";
  }

  // an async function that never runs twice at once: called while it runs, it runs once
  // more afterwards, so what changed meanwhile is seen
  function oneAtATime(run) {
    let busy = false, again = false;
    return async function next() {
      if (busy) { again = true; return; }
      busy = true;
      try {
        await run();
      } finally {
        busy = false;
      }
      if (again) { again = false; return next(); }
    };
  }

  // GET /models, and again every 2 s while a run is going and the socket is down
  const loadModels = oneAtATime(async () => {
    clearTimeout(modelsTimer);
    const wasRunning = models.running;
    try {
      models = await api("GET", MODELS);
      showModels();
      if (wasRunning !== null && models.running !== wasRunning) finished(wasRunning);
    } catch (error) {
      $("#models-error").textContent = error.message;
    }
    if (signedIn && models.running !== null && !modelsLive) modelsTimer = setTimeout(loadModels, POLL_MS);
  });

  // every change of a version comes over the WebSocket (trainer/model_events.py) and the panel
  // reloads then; it asks every POLL_MS only while a run is going and the socket is down
  let modelsSocket = null, modelsRetry = 1000, modelsLive = false;

  function listenToModels() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + MODELS + "/ws?token=" +
                                 encodeURIComponent(CareDeskStaff.token()));
    modelsSocket = socket;
    socket.onopen = () => { modelsRetry = 1000; };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "ready") {
        modelsLive = true;
        $("#models").dataset.live = "on";
        loadModels();  // what changed before the socket listened
        if (evaluation) checkEvaluation();
      } else if (data.type === "model") {
        loadModels();
        evaluationEvent(data.version_id);
      }
    };
    socket.onclose = () => {
      if (modelsSocket !== socket) return;  // signed out, or replaced
      modelsLive = false;
      delete $("#models").dataset.live;
      if (!signedIn) return;
      loadModels();
      if (evaluation) checkEvaluation();  // asks every POLL_MS until the socket is back
      setTimeout(() => { if (signedIn && modelsSocket === socket) listenToModels(); }, modelsRetry);
      modelsRetry = Math.min(modelsRetry * 2, 15000);
    };
  }

  function showModels() {
    const running = models.versions.find((v) => v.id === models.running);
    $("#train").disabled = Boolean(running);
    $("#run").hidden = !running;
    if (running) {
      $("#run-progress").value = running.progress;
      $("#run-stage").textContent = name(running.id) + ": " + running.stage + " (" + percent(running.progress) + ")";
    }
    const focused = document.activeElement && document.activeElement.closest("#versions tr");
    $("#versions tbody").replaceChildren(...models.versions.map(versionRow));
    if (focused) {  // a poll redraws the rows: the keyboard stays where it was
      const again = $("#versions tr[data-id='" + focused.dataset.id + "'] button");
      if (again) again.focus();
    }
    $("#rollback").hidden = models.rollback_to === null;
    $("#rollback").textContent = "Roll back to " + name(models.rollback_to);
  }

  function versionRow(version) {
    const s = version.scores;
    const tr = row(name(version.id), version.status, version.origin, when(version.started_at),
                   version.started_by || "", s ? f1(s.macro_f1) : "—", s ? accuracy(s.accuracy) : "—",
                   s ? stories(s) : "—", version.note || "", version.override_reason || "");
    tr.dataset.id = String(version.id);
    tr.classList.toggle("active", version.status === "active");
    tr.children[1].className = "status";
    const compare = el("button", "Compare", "secondary");
    compare.type = "button";
    compare.setAttribute("aria-label", "Compare " + name(version.id) + " with the active model");
    compare.addEventListener("click", () => { say("comparison", ""); loadComparison(version.id, true); });
    const cell = el("td");
    cell.append(compare);
    tr.append(cell);
    return tr;
  }

  function finished(id) {
    const version = models.versions.find((v) => v.id === id);
    if (version && version.status === "failed") {
      say("models", name(id) + " failed: " + (version.error || "").trim().split("\n").pop(), true);
    } else if (version) {
      say("models", name(id) + " is trained and evaluated: compare it with the active model.");
    }
    if (compared !== null) loadComparison(compared);
  }

  $("#train-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#train").disabled = true;
    try {
      const note = $("#train-note").value.trim();
      const version = await api("POST", MODELS, note ? { note } : {});
      $("#train-note").value = "";
      say("models", "Training " + name(version.id) + " …");
    } catch (error) {
      say("models", error.message, true);
    }
    await loadModels();
  });

  $("#rollback").addEventListener("click", async () => {
    $("#rollback").disabled = true;
    say("models", "Rolling back to " + name(models.rollback_to) + " …");
    try {
      const done = await api("POST", MODELS + "/rollback");
      say("models", "Rolled back: " + name(done.version.id) + " is now active" +
          (done.served ? "." : "; the Rasa server loads it at its next start."));
    } catch (error) {
      say("models", error.message, true);
    }
    $("#rollback").disabled = false;
    await refresh();
  });

  async function refresh() {
    await loadModels();
    if (compared !== null) await loadComparison(compared);
  }

  // --- the comparison of one version with the active one -------------------------------
  async function loadComparison(id, scroll) {
    compared = id;
    const mine = ++comparisons;
    try {
      const data = await api("GET", MODELS + "/" + id);
      if (mine !== comparisons) return;  // another version was chosen meanwhile
      showComparison(data);
      $("#comparison").hidden = false;
      if (scroll) $("#comparison").scrollIntoView();
      const shown = data.active && data.active.id !== id ? [data.version, data.active] : [data.version];
      const figures = await Promise.all(shown.map(matrix));
      if (mine === comparisons) $("#matrices").replaceChildren(...figures);
    } catch (error) {
      $("#comparison").hidden = false;
      say("comparison", error.message, true);
    }
  }

  function showComparison({ version, active, gate }) {
    const self = active && active.id === version.id;
    $("#comparison-title").textContent = self ? name(version.id) + ", the active model"
      : name(version.id) + " compared with " + (active ? "the active " + name(active.id) : "no active model");
    document.querySelectorAll("#comparison .candidate").forEach((th) => { th.textContent = name(version.id); });
    document.querySelectorAll("#comparison .current").forEach((th) => {
      th.textContent = active ? name(active.id) + " (active)" : "no active model"; });

    const both = (show) => [version, active].map((v) => (v && v.scores ? show(v.scores) : "not evaluated"));
    $("#scores tbody").replaceChildren(
      row("Macro-F1", ...both((s) => f1(s.macro_f1))), row("Accuracy", ...both((s) => accuracy(s.accuracy))),
      row("Stories passed", ...both(stories)), row("Held-out examples", ...both((s) => s.heldout_examples)));

    const mine = (version.scores && version.scores.intents) || {};
    const theirs = (active && active.scores && active.scores.intents) || {};
    const intents = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].sort();
    $("#intents tbody").replaceChildren(...intents.map((intent) => {
      const a = mine[intent], b = theirs[intent];
      const worse = Boolean(a && b && a.f1 < b.f1 - TOLERANCE);
      const tr = row(intent, a ? f1(a.f1) + (worse ? " (lower)" : "") : "—", b ? f1(b.f1) : "—");
      tr.classList.toggle("worse", worse);
      return tr;
    }));
    $("#failed-stories").replaceChildren(...(self || !active ? [version] : [version, active]).map(failedStories));

    const running = version.status === "training" || version.status === "evaluating";
    const activatable = version.status === "ready" || version.status === "retired";
    const evaluable = !running && version.status !== "failed";
    const verdict = $("#gate-verdict");
    verdict.className = "verdict" + (gate ? (gate.passed ? " passed" : " refused") : "");
    $("#gate-reasons").replaceChildren(...(gate ? gate.reasons : []).map((reason) => el("li", reason)));
    // the candidate first, then the active model: only scores on the current test set compare
    evaluateTarget = !version.scores_current || !active ? version : active;
    if (running) verdict.textContent = name(version.id) + " is still running: " + version.stage + ".";
    else if (version.status === "failed") verdict.textContent = name(version.id) + " failed:";
    else if (gate === null) verdict.textContent = "The gate cannot compare yet: evaluate " +
      name(evaluateTarget.id) + " on the current test set first.";
    else verdict.textContent = gate.passed ? "The gate lets this model through." : "The gate refuses this model:";
    $("#run-error").hidden = !version.error;
    $("#run-error").textContent = version.error || "";

    const showEvaluate = gate === null && evaluable;
    $("#evaluate").hidden = !showEvaluate;
    $("#evaluate").disabled = evaluation !== null;
    $("#evaluate").textContent = "Evaluate " + name(evaluateTarget.id);
    $("#activate").hidden = showEvaluate;
    $("#activate").disabled = !activatable || !gate || !gate.passed;
    $("#activate").textContent = "Activate " + name(version.id);
    $("#override").hidden = !(role === "admin" && activatable && gate && !gate.passed);
    $("#override-activate").disabled = false;
  }

  function failedStories(version) {
    const box = el("div");
    box.append(el("h4", name(version.id)));
    if (!version.scores) box.append(el("p", "not evaluated", "muted"));
    else if (!version.scores.stories_failed.length) box.append(el("p", "none: every story test passes", "muted"));
    else {
      const list = el("ul");
      list.append(...version.scores.stories_failed.map((story) => el("li", story)));
      box.append(list);
    }
    return box;
  }

  // the PNG needs the login: fetched, then shown as a data: URL (the page's CSP allows those)
  async function matrix(version) {
    const figure = el("figure");
    const caption = el("figcaption", name(version.id) + (version.status === "active" ? " (active)" : ""));
    try {
      if (!version.scores) throw new Error("not evaluated yet");
      const blob = await (await request("GET", MODELS + "/" + version.id + "/confusion-matrix.png")).blob();
      const image = el("img");
      image.alt = "Confusion matrix of " + name(version.id);
      image.src = await new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(blob);
      });
      figure.append(image, caption);
    } catch (error) {
      figure.append(el("p", error.message, "muted"), caption);
    }
    return figure;
  }

  async function activate(body) {
    const id = compared;
    $("#activate").disabled = $("#override-activate").disabled = true;
    say("comparison", "Activating " + name(id) + ": the Rasa server loads it …");
    try {
      const done = await api("POST", MODELS + "/" + id + "/activation", body);
      $("#override-reason").value = "";
      say("comparison", name(done.version.id) + " is now active" +
          (done.served ? "." : "; the Rasa server loads it at its next start."));
    } catch (error) {
      say("comparison", error.message, true);
    }
    await refresh();
  }

  $("#activate").addEventListener("click", () => activate({}));
  $("#override-activate").addEventListener("click", () =>
    activate({ override_reason: $("#override-reason").value }));

  // an evaluation changes no status, only the version's stage. Its end is heard as a model
  // event for that version over the socket; only while the socket is down does the page ask
  // every POLL_MS.
  $("#evaluate").addEventListener("click", async () => {
    const target = evaluateTarget;
    $("#evaluate").disabled = true;
    try {
      await api("POST", MODELS + "/" + target.id + "/evaluation");
      say("comparison", "Evaluating " + name(target.id) + " on the held-out set and the story tests (a minute or two) …");
    } catch (error) {
      say("comparison", error.message, true);
      $("#evaluate").disabled = false;
      return;
    }
    evaluation = { id: target.id, deadline: Date.now() + EVALUATION_WAIT_MS };
    evaluationDeadline = setTimeout(checkEvaluation, EVALUATION_WAIT_MS);
    checkEvaluation();  // it may have ended before the answer came (a model file gone)
  });

  function evaluationEvent(versionId) {
    if (evaluation && evaluation.id === versionId) checkEvaluation();
  }

  const checkEvaluation = oneAtATime(async () => {
    clearTimeout(waitTimer);
    waitTimer = null;
    if (!evaluation) return;
    const { id, deadline } = evaluation;
    let now;
    try {
      now = (await api("GET", MODELS + "/" + id)).version;
    } catch (error) {
      say("comparison", error.message, true);
      now = null;
    }
    if (!evaluation || evaluation.id !== id) return;  // signed out meanwhile
    if (now === null || (now.stage === EVALUATING && Date.now() < deadline)) {
      if (signedIn && !modelsLive) waitTimer = setTimeout(checkEvaluation, POLL_MS);
      return;
    }
    evaluation = null;
    clearTimeout(evaluationDeadline);
    if (now.stage === EVALUATING) say("comparison", name(id) + " is still being evaluated after 5 minutes.", true);
    else if (now.stage === EVALUATION_FAILED) say("comparison", name(id) + "'s evaluation failed: " + (now.error || "").trim().split("\n").pop(), true);
    else say("comparison", name(id) + " is evaluated.");
    await refresh();
  });

  function signOut() {
    signedIn = false;
    const socket = modelsSocket;
    modelsSocket = null;
    modelsLive = false;
    delete $("#models").dataset.live;
    if (socket) socket.close();
    clearTimeout(modelsTimer);
    clearTimeout(waitTimer);
    clearTimeout(evaluationDeadline);
    waitTimer = null;
    evaluation = null;
    compared = null;
    $("#comparison").hidden = true;
    say("models", "");
    say("comparison", "");
  }

  CareDeskStaff.setUp(start, signOut);
})();
