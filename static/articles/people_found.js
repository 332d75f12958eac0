/* The "People found in this story" panel, kept up to date as the story is
   typed or pasted, saved or not: half a second after the headline,
   dek or body last changed, the text goes (POST, with the form's CSRF token) to
   an admin-only endpoint that answers with the panel's rows. What the editor
   already ticked in a row is kept when the rows come back; an answer older
   than the last lookup asked for is dropped. Lookups take their turn with the
   draft's autosave (js/admin_requests.js), and touch nothing outside the panel.
   A static file: the admin's CSP allows no inline script. */
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

  // Each lookup has a number; an answer is shown only if no lookup was asked
  // for after it (an older answer arriving late never replaces a newer one).
  let asked = 0;
  let answered = 0;

  function requests() {
    return (
      window.newsroomRequests || {
        run: function (task) {
          return task();
        },
      }
    );
  }

  async function lookUp(number) {
    if (number !== asked) {
      return; // a newer lookup is queued behind this one
    }
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
      if (number < answered || number !== asked) {
        sent = null; // stale: the newer lookup will show its own answer
        return;
      }
      answered = number;
      show(answer);
    } catch (error) {
      if (error.name !== "AbortError") {
        sent = null; // try again on the next change
        status.textContent =
          "The people in this story could not be looked up just now; save to see them.";
      }
    } finally {
      if (number === asked) {
        panel.removeAttribute("aria-busy");
      }
    }
  }

  // The rows are replaced only while the editor is not in one of them (a
  // name being corrected keeps its cursor); otherwise when they leave the panel.
  let waiting = null;

  function show(answer) {
    if (panel.contains(document.activeElement) && document.activeElement !== panel) {
      waiting = answer;
      return;
    }
    waiting = null;
    const kept = pending || choices();
    pending = null;
    results.innerHTML = answer.html;
    restore(kept);
    const found = answer.people.length + answer.ambiguous.length;
    status.textContent =
      found || answer.new_names.length
        ? `${found} people found, ${answer.new_names.length} new names.`
        : "";
    panel.dispatchEvent(new CustomEvent("people-found:shown", { bubbles: true }));
  }

  panel.addEventListener("focusout", function (event) {
    if (waiting && !panel.contains(event.relatedTarget)) {
      show(waiting);
    }
  });

  function refresh() {
    asked += 1;
    const number = asked;
    return requests().run(function () {
      return lookUp(number);
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  }

  // Looked up as the story is typed or pasted, saved or not (a saved draft's
  // autosave takes its turn with these lookups: see js/admin_requests.js).
  form.addEventListener("input", function (event) {
    if (fields.includes(event.target.name)) {
      schedule();
    }
  });

  // The body's rich-text editor changes its hidden textarea without events;
  // its own "update" event says when the text changed (typing, pasting).
  function watchEditor(textarea) {
    if (textarea && textarea.bodyEditor && !textarea.peopleFoundWatched) {
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
