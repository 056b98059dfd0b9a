// Registers the service worker and offers "Add to home screen" where the browser allows it.
(function () {
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function (err) { console.warn("service worker:", err); });
    });
  }
  var deferred = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    deferred = event;
    if (document.getElementById("pika-install")) return;
    var button = document.createElement("button");
    button.id = "pika-install";
    button.textContent = "Install Pika!";
    button.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:50;padding:.7rem 1.2rem;border:0;" +
      "border-radius:999px;background:#ffc53d;color:#111110;font:700 16px system-ui,sans-serif;";
    button.onclick = function () {
      button.remove();
      deferred.prompt();
      deferred = null;
    };
    document.body.appendChild(button);
  });
})();
