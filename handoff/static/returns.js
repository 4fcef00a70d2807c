// CareDesk returns desk: the returns waiting for their parcel and the refunds waiting to be
// paid, and recording either, as `make returns` does. Logs in like the agent console
// (staff-session.js: the same session token, so an agent coming from /agent in the same tab
// is already logged in). A refund is recorded as paid only by operations experts and admins
// (the server decides and says so in the listing); the others see who records it. Everything the server sends, the customers' own reasons included,
// goes into the page only as text, never as HTML.
"use strict";

(function () {
  const $ = (selector, root) => (root || document).querySelector(selector);
  const { el, api } = window.CareDeskStaff;
  let mayRecordRefunds = false;

  async function start() {
    const me = (await api("GET", "/api/v1/me")).user;
    $("#who").textContent = me.display_name + " · " + me.role.replace("_", " ");
    $("#login").hidden = true;
    $("#app").hidden = false;
    await load();
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleString([], { dateStyle: "short", timeStyle: "short" }) : "—";
  }

  $("#refresh").addEventListener("click", () => load());
  // an RMA or an order number (HG-100003, hg100003): only its returns; empty: every one
  $("#search").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });

  // --- the two lists ----------------------------------------------------------------------
  async function load() {
    let data;
    try {
      const reference = $("#reference").value.trim();
      data = await api("GET", "/api/v1/returns" + (reference ? "?q=" + encodeURIComponent(reference) : ""));
      $("#returns-error").textContent = "";
    } catch (error) {
      $("#returns-error").textContent = error.message;
      return;
    }
    mayRecordRefunds = data.may_record_refunds;
    $("#refund-who").hidden = mayRecordRefunds;
    render("awaiting-parcel", "#parcel-count", data.awaiting_parcel, data.totals.awaiting_parcel,
           parcelRow, "No return is waiting for its parcel.");
    render("awaiting-refund", "#refund-count", data.awaiting_refund, data.totals.awaiting_refund,
           refundRow, "No refund is waiting to be paid.");
  }

  function render(table, counter, entries, total, row, nothing) {
    $(counter).textContent = !total ? nothing
      : entries.length < total ? "The first " + entries.length + " of " + total + "."
      : total + (total === 1 ? " return." : " returns.");
    $("#" + table + " tbody").replaceChildren(...entries.map(row));
  }

  function cells(entry) {
    return [el("td", entry.rma), el("td", entry.order_number), el("td", entry.products.join(", ")),
            el("td", entry.reason, "reason"), el("td", entry.refund), el("td", time(entry.registered_at))];
  }

  function parcelRow(entry) {
    const row = el("tr");
    row.dataset.rma = entry.rma;
    row.append(...cells(entry), action(entry, "received", "Parcel arrived"));
    return row;
  }

  function refundRow(entry) {
    const row = el("tr", null, entry.overdue ? "overdue" : "");
    row.dataset.rma = entry.rma;
    row.append(...cells(entry),
               el("td", time(entry.received_at) + (entry.received_by ? " · " + entry.received_by : ""), "arrived"),
               el("td", entry.refund_due + (entry.overdue ? " (overdue)" : ""), "due"),
               mayRecordRefunds ? action(entry, "refunded", "Refund paid") : el("td", "Operations", "muted"));
    return row;
  }

  function action(entry, what, label) {
    const cell = el("td");
    const button = el("button", label);
    button.type = "button";
    button.setAttribute("aria-label", label + ": " + entry.rma);
    button.addEventListener("click", () => record(entry.rma, what, button));
    cell.append(button);
    return cell;
  }

  // --- recording --------------------------------------------------------------------------
  // the date field's day (the end of it, or now for today), or now when it is empty
  async function record(rma, what, button) {
    $("#returns-error").textContent = "";
    $("#returns-done").textContent = "";
    const day = $("#record-date").value;
    button.disabled = true;
    try {
      const shown = (await api("POST", "/api/v1/returns/" + encodeURIComponent(rma) + "/" + what,
                               day ? { at: day } : {})).return;
      $("#returns-done").textContent = what === "received"
        ? shown.rma + ": parcel arrived " + time(shown.received_at) + "; refund due by " + shown.refund_due + "."
        : shown.rma + ": refund paid " + time(shown.refunded_at) + ".";
    } catch (error) {
      $("#returns-error").textContent = error.message;
      button.disabled = false;
      return;
    }
    await load();
  }

  CareDeskStaff.setUp(start);
})();
