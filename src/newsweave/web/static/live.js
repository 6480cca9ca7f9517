// Polls the REST API and redraws the live view; builds DOM nodes, never HTML strings.
"use strict";
(function () {
  const counts = document.getElementById("counts");
  const events = document.getElementById("events");
  const articles = document.getElementById("articles");
  const POLL_MS = 3000;

  function entry(href, text, note) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = href;
    link.textContent = text;
    const muted = document.createElement("span");
    muted.className = "muted";
    muted.textContent = " " + note;
    item.append(link, muted);
    return item;
  }

  function eventEntry(event) {
    const note = (event.first_published || "undated") + " · " + event.size + " articles";
    return entry("/events/" + encodeURIComponent(event.id), event.title, note);
  }

  function articleEntry(article) {
    const note = (article.outlet || "unknown outlet") + " · " + (article.published || "undated");
    return entry("/articles/" + encodeURIComponent(article.id), article.title || "(untitled)", note);
  }

  async function refresh() {
    try {
      const live = await (await fetch("/api/v1/live")).json();
      counts.textContent = live.stats.articles + " articles · " + live.stats.events + " events";
      events.replaceChildren(...live.items.map(eventEntry));
      articles.replaceChildren(...live.articles.map(articleEntry));
      document.body.dataset.refreshed = String(Date.now());
    } catch (error) {
      counts.textContent = "waiting for the server…";
    }
  }
  setInterval(refresh, POLL_MS);
})();
