// CareDesk chat widget: <script src="https://your-gateway/widget.js" async></script>
// Adds a chat button that opens the gateway's chat page in a frame.
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : location.origin;
  var button = document.createElement("button");
  button.type = "button";
  button.setAttribute("aria-label", "Chat with Harbor Goods support");
  button.setAttribute("aria-expanded", "false");
  button.textContent = "Chat";
  button.style.cssText = "position:fixed;right:20px;bottom:20px;z-index:2147483000;padding:12px 18px;" +
    "border:0;border-radius:999px;background:#0b5563;color:#fff;font:600 16px system-ui,sans-serif;cursor:pointer";
  var frame = document.createElement("iframe");
  frame.title = "Harbor Goods support chat";
  frame.src = origin + "/?embed=1";
  frame.hidden = true;
  frame.style.cssText = "position:fixed;right:20px;bottom:76px;z-index:2147483000;width:min(380px,calc(100vw - 40px));" +
    "height:min(560px,calc(100vh - 100px));border:1px solid #ccd;border-radius:12px;background:#fff";
  function toggle(open) {
    frame.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) frame.focus();
  }
  button.addEventListener("click", function () { toggle(frame.hidden); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !frame.hidden) { toggle(false); button.focus(); }
  });
  window.addEventListener("message", function (event) {
    if (event.origin === origin && event.data && event.data.caredesk === "close") {
      toggle(false);
      button.focus();
    }
  });
  function mount() { document.body.appendChild(frame); document.body.appendChild(button); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
}());
