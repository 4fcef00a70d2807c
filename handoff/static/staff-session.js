// Shared by the staff pages (the agent console, the returns desk, the service report and the
// trainer workbench; with staff.css): the login card (built here into the page's empty
// `<section id="login">`, titled with the page's title), the login form, the session token kept in sessionStorage (so moving between the pages keeps the login),
// calls to the staff API with it, downloads, and text-only DOM building: customer text is
// only ever put into a page as text, never as HTML.
"use strict";

window.CareDeskStaff = (function () {
  const TOKEN_KEY = "caredesk-staff-token";
  const $ = (selector, root) => (root || document).querySelector(selector);
  const session = { token: sessionStorage.getItem(TOKEN_KEY), onLogout: () => {} };

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function field(label, attributes) {
    const input = el("input");
    for (const [name, value] of Object.entries(attributes)) input.setAttribute(name, value);
    input.required = true;
    const wrapper = el("label", label + " ");
    wrapper.append(input);
    return wrapper;
  }

  // the login card, the same on every staff page
  function buildLogin() {
    const section = $("#login");
    const form = el("form", null, "card");
    form.id = "login-form";
    const title = el("h1", document.title);
    title.id = "login-title";
    const submit = el("button", "Log in");
    submit.type = "submit";
    const error = el("p", null, "error");
    error.id = "login-error";
    error.setAttribute("role", "alert");
    form.append(title,
                field("User name", { id: "username", name: "username", autocomplete: "username" }),
                field("Password", { id: "password", name: "password", type: "password",
                                    autocomplete: "current-password" }),
                submit, error);
    section.setAttribute("aria-labelledby", "login-title");
    section.replaceChildren(form);
  }
  buildLogin();

  // the raw response of a staff API call; a refused call throws the API's message (with
  // its status); a network failure throws fetch's TypeError (no status)
  async function request(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ "Content-Type": "application/json" },
                             session.token ? { Authorization: "Bearer " + session.token } : {}),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401 && path !== "/api/v1/auth/login") { logout(); }
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      const error = new Error((data.error && data.error.message) || ("request failed (" + response.status + ")"));
      error.status = response.status;
      throw error;
    }
    return response;
  }

  async function api(method, path, body) {
    return (await request(method, path, body)).json().catch(() => ({}));
  }

  // fetches a file with the login and hands it to the browser as a download
  async function download(path, filename) {
    const url = URL.createObjectURL(await (await request("GET", path)).blob());
    const link = el("a");
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function logout() {
    if (session.token) {
      fetch("/api/v1/auth/logout", { method: "POST", headers: { Authorization: "Bearer " + session.token } }).catch(() => {});
    }
    session.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    session.onLogout();
    $("#app").hidden = true;
    $("#login").hidden = false;
  }

  // wires the page's login form and logout button; `start` runs once logged in
  function setUp(start, onLogout) {
    session.onLogout = onLogout || (() => {});
    $("#login-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      $("#login-error").textContent = "";
      try {
        const data = await api("POST", "/api/v1/auth/login",
                               { username: $("#username").value, password: $("#password").value });
        session.token = data.token;
        sessionStorage.setItem(TOKEN_KEY, data.token);
        $("#password").value = "";
        await start();
      } catch (error) {
        $("#login-error").textContent = error.message;
      }
    });
    $("#logout").addEventListener("click", logout);
    if (session.token) { start().catch(logout); }
  }

  return { el, api, request, download, logout, setUp, token: () => session.token };
})();
