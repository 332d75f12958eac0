/* The story's "Numbers check" panel, kept up to date as the story is edited,
   saved or not: a second after the text, the races, the people linked or the
   publish date last changed, they go (POST, with the form's CSRF token) to an
   admin-only endpoint that answers with the panel. A warning only: nothing here
   stops a save. A static file: the admin's CSP allows no inline script. */
(function () {
  "use strict";

  const DELAY = 1000;
  const panel = document.getElementById("numbers-check");
  if (!panel || !panel.dataset.url) {
    return;
  }
  const form = panel.closest("form");
  const results = panel.querySelector(".numbers-check-results");
  const status = panel.querySelector(".numbers-check-status");
  const TEXT_FIELDS = ["headline", "dek", "body"];
  const MENTION_PERSON = /^mentions-\d+-person$/;
  let timer = null;
  let sent = null;
  let controller = null;

  function field(name) {
    return form.elements.namedItem(name);
  }

  function state() {
    const data = [];
    for (const name of TEXT_FIELDS) {
      const element = field(name);
      let value = element ? element.value : "";
      if (name === "body" && element && element.bodyEditor) {
        value = element.bodyEditor.getHTML();
      }
      data.push([name, value]);
    }
    const races = field("covered_races");
    if (races && races.selectedOptions) {
      for (const option of races.selectedOptions) {
        data.push(["covered_races", option.value]);
      }
    }
    for (const element of form.querySelectorAll("select")) {
      if (!MENTION_PERSON.test(element.name) || !element.value) {
        continue;
      }
      const remove = field(element.name.replace(/-person$/, "-DELETE"));
      if (!(remove && remove.checked)) {
        data.push(["linked_person", element.value]);
      }
    }
    const day = field("published_at_0");
    data.push(["published_at_0", day ? day.value : ""]);
    if (panel.dataset.article) {
      data.push(["article", panel.dataset.article]);
    }
    return data;
  }

  async function refresh() {
    const data = state();
    const key = JSON.stringify(data);
    if (key === sent) {
      return;
    }
    sent = key;
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    const body = new FormData();
    for (const [name, value] of data) {
      body.append(name, value);
    }
    body.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken").value);
    panel.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(panel.dataset.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
        signal: controller.signal,
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const answer = await response.json();
      results.innerHTML = answer.html;
      status.textContent = answer.disagreements
        ? `${answer.disagreements} figures disagree with the stored results.`
        : "";
    } catch (error) {
      if (error.name !== "AbortError") {
        sent = null; // try again on the next change
        status.textContent =
          "The numbers could not be checked just now; save to see the check.";
      }
    } finally {
      panel.removeAttribute("aria-busy");
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  }

  function watched(name) {
    return (
      TEXT_FIELDS.includes(name) ||
      name === "covered_races" ||
      name === "published_at_0" ||
      MENTION_PERSON.test(name) ||
      /^mentions-\d+-DELETE$/.test(name)
    );
  }

  form.addEventListener("input", function (event) {
    if (watched(event.target.name)) {
      schedule();
    }
  });
  form.addEventListener("change", function (event) {
    if (watched(event.target.name)) {
      schedule();
    }
  });
  // The admin's autocompletes (select2) say "change" through jQuery only.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(form).on("change", "select", function () {
      if (watched(this.name)) {
        schedule();
      }
    });
  }

  // The body's rich-text editor changes its hidden textarea without events.
  function watchEditor(textarea) {
    if (textarea && textarea.bodyEditor && !textarea.numbersCheckWatched) {
      textarea.numbersCheckWatched = true;
      textarea.bodyEditor.on("update", schedule);
    }
  }
  document.addEventListener("body-editor:ready", function (event) {
    watchEditor(event.target);
  });
  watchEditor(field("body"));

  // A saved story's panel comes with the page; a new one's text (a form shown
  // again after an error) is checked at once.
  if (panel.dataset.article) {
    sent = JSON.stringify(state());
  } else if (TEXT_FIELDS.some((name) => field(name) && field(name).value.trim())) {
    schedule();
  }
})();
