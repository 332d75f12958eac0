/* Every admin change form: a warning before leaving a form with unsaved
   changes, and, where the page offers it (#autosave-config), an autosave of a
   draft about every 30 seconds of editing. A static file: the admin's CSP
   allows no inline script. */
(function () {
  "use strict";

  // Change forms only: not a list's form of ticked rows.
  const form = document.body.classList.contains("change-form")
    ? document.querySelector("#content-main form[method='post']")
    : null;
  if (!form) {
    return;
  }
  let dirty = false;
  let submitting = false;
  // Inlines and the "People found" panel are not autosaved: their changes keep
  // the warning until the form itself is saved.
  let unsavedByAutosave = false;
  let editsSinceAutosave = 0;
  const notAutosaved = /^(suggestion|ambiguous|newname)-|-(\d+|__prefix__)-|_FORMS$/;

  function changed(event) {
    const name = (event.target && event.target.name) || "";
    dirty = true;
    editsSinceAutosave += 1;
    if (notAutosaved.test(name)) {
      unsavedByAutosave = true;
    }
    scheduleAutosave();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  const configNode = document.getElementById("autosave-config");
  const config = configNode ? JSON.parse(configNode.textContent) : null;
  const statusNode = document.getElementById("autosave-status");
  let timer = null;
  let stopped = !config;

  function say(text) {
    if (statusNode) {
      statusNode.textContent = text;
    }
  }

  function scheduleAutosave() {
    if (stopped || timer !== null) {
      return;
    }
    timer = window.setTimeout(autosave, config.seconds * 1000);
  }

  // Autosaves take their turn with the panels' lookups (js/admin_requests.js);
  // the form is read when the turn comes, so the newest text is what is sent.
  const requests = window.newsroomRequests || {
    run: function (task) {
      return task();
    },
  };

  function autosave() {
    timer = null;
    requests.run(send);
  }

  function send() {
    if (submitting) {
      return Promise.resolve(); // the Save button's post carries it all
    }
    const data = new FormData(form);
    for (const [key, value] of Array.from(data.entries())) {
      // Uploads and the panels' ticks are the Save button's.
      if (value instanceof File || /^(suggestion|ambiguous|newname)-/.test(key)) {
        data.delete(key);
      }
    }
    data.delete("_action");
    const edits = editsSinceAutosave;
    return fetch(config.url, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (body) {
          return {ok: response.ok, status: response.status, body: body};
        });
      })
      .then(function (result) {
        if (submitting) {
          return; // the page is going; its own save decides
        }
        if (result.ok) {
          const version = form.querySelector("input[name='opened_version']");
          if (version) {
            version.value = result.body.opened_version;
          }
          editsSinceAutosave -= edits;
          if (editsSinceAutosave === 0 && !unsavedByAutosave) {
            dirty = false;
          }
          say("Draft autosaved at " + result.body.saved_at + ".");
          form.dispatchEvent(new CustomEvent("autosave:saved", {bubbles: true}));
          if (editsSinceAutosave > 0) {
            scheduleAutosave();
          }
        } else {
          if (result.status === 409) {
            stopped = true;  // someone else's newer save: never overwrite it
          }
          say("Not autosaved: " + result.body.error);
        }
      })
      .catch(function () {
        say("Not autosaved: the server could not be reached. Save the story yourself.");
      });
  }
})();
