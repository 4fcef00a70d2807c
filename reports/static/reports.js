// CareDesk service report. Logs in like the agent console (staff-session.js: the same
// session token, so an admin coming from /agent in the same tab is already logged in).
// Text goes into the page only as text; charts are SVG documents shown as <img> from
// data: URLs, so nothing the server sends is ever parsed as HTML here.
"use strict";

(function () {
  const READERS = ["admin", "account_manager"];
  const $ = (selector) => document.querySelector(selector);
  const { el, api } = window.CareDeskStaff;

  async function start() {
    const me = (await api("GET", "/api/v1/me")).user;
    if (!READERS.includes(me.role)) {
      $("#login-error").textContent = "The service report is for admins and account managers.";
      return;
    }
    $("#who").textContent = me.display_name + " · " + me.role.replace("_", " ");
    $("#login").hidden = true;
    $("#app").hidden = false;
    await load();
  }

  // --- the report -------------------------------------------------------------------------
  function isoDay(date) { return date.toISOString().slice(0, 10); }
  const today = new Date();
  $("#to").value = isoDay(today);
  $("#from").value = isoDay(new Date(today.getTime() - 29 * 86400000));

  function query() {
    return "?from=" + encodeURIComponent($("#from").value) + "&to=" + encodeURIComponent($("#to").value);
  }

  $("#range").addEventListener("submit", (event) => { event.preventDefault(); load(); });

  async function load() {
    $("#report-error").textContent = "";
    try {
      const data = await api("GET", "/api/v1/reports" + query());
      renderCards(data.figures);
      renderCharts(data.charts);
    } catch (error) {
      $("#report-error").textContent = error.message;
    }
  }

  function percent(ratio) {
    return ratio.percent === null ? "n/a" : ratio.percent + "%";
  }

  function card(id, title, value, detail, target, met) {
    const node = el("article", null, "card figure");
    node.id = "figure-" + id;
    if (met !== null && met !== undefined) node.classList.add(met ? "met" : "missed");
    node.append(el("h3", title), el("div", value, "value"), el("div", detail, "detail"));
    if (target) node.append(el("div", "Target: " + target, "detail target"));
    return node;
  }

  function renderCards(f) {
    const first = f.first_response_within_1h, resolution = f.resolution_within_72h;
    const cards = [
      card("containment", "Contained by the bot", percent(f.containment),
           f.containment.numerator + " of " + f.containment.denominator + " conversations without a ticket"),
      card("escalations", "Escalations", f.escalations.total,
           f.escalations.by_reason.slice(0, 3).map((r) => r.label + " " + r.count).join(" · ") || "none"),
      card("first-response", "First response within 1 h", percent(first),
           first.numerator + " of " + first.denominator + " tickets", first.target + "%",
           first.percent === null ? null : first.percent >= first.target),
      card("resolution", "Resolved within 72 h", percent(resolution),
           resolution.numerator + " of " + resolution.denominator + " tickets", resolution.target + "%",
           resolution.percent === null ? null : resolution.percent >= resolution.target),
      card("csat", "CSAT", f.csat.average === null ? "n/a" : f.csat.average.toFixed(2) + " / 5",
           f.csat.ratings + " ratings · " + percent(f.csat.satisfied) + " gave 4 or 5"),
      card("nps", "NPS", f.nps.score === null ? "n/a" : String(f.nps.score),
           f.nps.answers + " answers · " + f.nps.promoters + " promoters · " + f.nps.detractors + " detractors",
           String(f.nps.target), f.nps.score === null ? null : f.nps.score >= f.nps.target),
      card("fallback", "Fallback rate", f.intents.available ? percent(f.intents.fallback) : "n/a",
           f.intents.available ? f.intents.fallback.numerator + " of " + f.intents.fallback.denominator + " typed messages"
                               : "the assistant's tracker store is not available yet"),
      card("needs", "Needs captured", f.needs.total, "requirement sheets confirmed"),
    ];
    $("#cards").replaceChildren(...cards);
  }

  function svgImage(svg, name) {
    const bytes = new TextEncoder().encode(svg);
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const img = el("img");
    img.src = "data:image/svg+xml;base64," + btoa(binary);
    img.alt = name;
    return img;
  }

  const CHART_NAMES = { targets: "Against the plan's targets", escalations: "Escalations by reason",
                        csat: "CSAT ratings", nps: "NPS answers", intents: "Top intents",
                        needs: "Needs captured per week" };

  function renderCharts(charts) {
    const figures = Object.keys(CHART_NAMES).filter((name) => charts[name]).map((name) => {
      const figure = el("figure", null, "card");
      figure.dataset.chart = name;
      figure.append(svgImage(charts[name], CHART_NAMES[name]));
      return figure;
    });
    $("#charts").replaceChildren(...figures);
  }

  // --- CSV --------------------------------------------------------------------------------
  $("#download").addEventListener("click", async () => {
    $("#report-error").textContent = "";
    try {
      await CareDeskStaff.download("/api/v1/reports.csv" + query(),
                                   "caredesk-report-" + $("#from").value + "-" + $("#to").value + ".csv");
    } catch (error) {
      $("#report-error").textContent = error.message;
    }
  });

  CareDeskStaff.setUp(start);
})();
