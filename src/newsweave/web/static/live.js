// Polls the REST API and redraws the live view; builds DOM nodes, never HTML strings.
"use strict";
(function () {
  const counts = document.getElementById("counts");
  const list = document.getElementById("events");
  async function refresh() {
    try {
      const stats = await (await fetch("/api/v1/stats")).json();
      counts.textContent = stats.articles + " articles · " + stats.events + " events";
      const latest = await (await fetch("/api/v1/live")).json();
      list.replaceChildren(...latest.items.map(function (event) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = "/events/" + encodeURIComponent(event.id);
        link.textContent = event.title;
        const note = document.createElement("span");
        note.className = "muted";
        note.textContent = " " + (event.first_published || "undated") + " · " + event.size + " articles";
        item.append(link, note);
        return item;
      }));
    } catch (error) {
      counts.textContent = "waiting for the server…";
    }
  }
  setInterval(refresh, 3000);
})();
