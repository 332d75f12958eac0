/* The "People found in this story" panel of a story not saved yet, kept up
   to date as the story is typed or pasted: half a second after the headline,
   dek or body last changed, the text goes (POST, with the form's CSRF token) to
   an admin-only endpoint that answers with the panel's rows. What the editor
   already ticked in a row is kept when the rows come back. A static file: the
   admin's CSP allows no inline script. */
(function () {
  "use strict";

  const DELAY = 500;
  const panel = document.getElementById("people-found");
  if (!panel || !panel.dataset.url) {
    return;
  }
  const form = panel.closest("form");
  const results = panel.querySelector(".people-found-results");
  const status = panel.querySelector(".people-found-status");
  const fields = ["headline", "dek", "body"];
  let timer = null;
  let sent = null; // the text of the request under way or last answered
  let controller = null;
  // The editor's choices, kept over a submit that comes back with errors.
  const STORED = "people-found:" + window.location.pathname;
  let pending = null;
  const stored = window.sessionStorage.getItem(STORED);
  window.sessionStorage.removeItem(STORED);
  if (stored && document.querySelector(".errornote")) {
    try {
      pending = new Map(JSON.parse(stored));
    } catch (error) {
      pending = null;
    }
  }
  form.addEventListener("submit", function () {
    window.sessionStorage.setItem(STORED, JSON.stringify([...choices()]));
  });

  function field(name) {
    return form.elements.namedItem(name);
  }

  function text() {
    const values = {};
    for (const name of fields) {
      const element = field(name);
      let value = element ? element.value : "";
      if (name === "body" && element && element.bodyEditor) {
        value = element.bodyEditor.getHTML();
      }
      values[name] = value;
    }
    return values;
  }

  // Each row's inputs, by the part of their name after the row's prefix
  // ("-role", "-kind", "" for the decision), so a row renumbered by a refresh
  // keeps the editor's choices.
  function choices() {
    const kept = new Map();
    for (const row of results.querySelectorAll("tr[data-key]")) {
      const prefix = row.dataset.prefix;
      const values = [];
      for (const input of row.querySelectorAll("input, select")) {
        const suffix = input.name.slice(prefix.length);
        if (input.type === "checkbox" || input.type === "radio") {
          values.push([suffix, input.value, input.checked]);
        } else {
          values.push([suffix, null, input.value]);
        }
      }
      kept.set(row.dataset.key, values);
    }
    return kept;
  }

  function restore(kept) {
    for (const row of results.querySelectorAll("tr[data-key]")) {
      const values = kept.get(row.dataset.key);
      if (!values) {
        continue;
      }
      const prefix = row.dataset.prefix;
      for (const [suffix, value, state] of values) {
        for (const input of row.querySelectorAll("input, select")) {
          if (input.name !== prefix + suffix) {
            continue;
          }
          if (input.type === "checkbox" || input.type === "radio") {
            if (input.value === value) {
              input.checked = state;
            }
          } else {
            input.value = state;
          }
        }
      }
    }
  }

  async function refresh() {
    const values = text();
    const key = JSON.stringify(values);
    if (key === sent) {
      return;
    }
    sent = key;
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    const data = new FormData();
    for (const name of fields) {
      data.append(name, values[name]);
    }
    if (panel.dataset.article) {
      data.append("article", panel.dataset.article);
    }
    data.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken").value);
    panel.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(panel.dataset.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
        signal: controller.signal,
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const answer = await response.json();
      const kept = pending || choices();
      pending = null;
      results.innerHTML = answer.html;
      restore(kept);
      const found = answer.people.length + answer.ambiguous.length;
      status.textContent =
        found || answer.new_names.length
          ? `${found} people found, ${answer.new_names.length} new names.`
          : "";
    } catch (error) {
      if (error.name !== "AbortError") {
        sent = null; // try again on the next change
        status.textContent =
          "The people in this story could not be looked up just now; save to see them.";
      }
    } finally {
      panel.removeAttribute("aria-busy");
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  }

  // A saved story's panel comes with the page and changes at each save (a
  // draft is autosaved meanwhile); only a new story's is looked up as typed.
  const live = !panel.dataset.article;
  form.addEventListener("input", function (event) {
    if (live && fields.includes(event.target.name)) {
      schedule();
    }
  });

  // The body's rich-text editor changes its hidden textarea without events;
  // its own "update" event says when the text changed (typing, pasting).
  function watchEditor(textarea) {
    if (live && textarea && textarea.bodyEditor && !textarea.peopleFoundWatched) {
      textarea.peopleFoundWatched = true;
      textarea.bodyEditor.on("update", schedule);
    }
  }
  document.addEventListener("body-editor:ready", function (event) {
    watchEditor(event.target);
  });
  watchEditor(field("body"));

  // A saved story's rows come with the page; a new one's text (a form shown
  // again after an error) is looked up at once.
  if (!panel.dataset.article) {
    const values = text();
    if (fields.some((name) => values[name].trim())) {
      schedule();
    }
  } else {
    sent = JSON.stringify(text());
    if (pending) {
      restore(pending);
      pending = null;
    }
  }
})();
