/* A copy, in this browser, of everything typed in a form that opts in (the
   story form: #form-backup-config), so that a crash, a closed tab or a reload
   loses nothing: every field the editor types in, inline rows (bylines, people
   and their roles) included, the body as its editor holds it. A second after
   each change the copy is written to localStorage with the version of the story
   the form was opened on and the form as it was opened (the "base").

   Opening the form again with a copy that differs from it asks first: "Restore
   unsaved changes?". Only the fields the editor changed are put back; when the
   story was saved since the copy was made (its version moved on), the prompt
   says so and names the fields changed both here and in the newer save, and
   nothing is put back without the editor's click. The copy is dropped when the
   editor discards it, or when a save went through (a submit that comes back
   with errors keeps it). Loaded on every admin page: the page a save leads to
   is where it is known to have gone through.

   Other panels' fields join by having a name in the form; a panel whose inputs
   are the server's suggestions rather than the editor's typing is left out by
   `data-form-backup="skip"` on its container. A static file: the admin's CSP
   allows no inline script. */
(function () {
  "use strict";

  const SUBMITTED = "form-backup:submitted";
  const storage = window.localStorage;

  // A submit last time: its copy goes once the admin says it was saved (on
  // any admin page, where the save led); a form sent back with errors, a "Not
  // saved" answer or no answer at all keeps it.
  const submitted = window.sessionStorage.getItem(SUBMITTED);
  window.sessionStorage.removeItem(SUBMITTED);
  if (submitted && document.querySelector(".messagelist .success")) {
    storage.removeItem(submitted);
  }

  const configNode = document.getElementById("form-backup-config");
  const config = configNode ? JSON.parse(configNode.textContent) : null;
  const form = configNode && configNode.closest("form");
  if (!config || !form) {
    return;
  }
  const prompt = document.getElementById("restore-changes");
  const version = form.querySelector("input[name='opened_version']");
  const SKIP = /^(csrfmiddlewaretoken|opened_version|status|_action|_save|_continue|_addanother|_saveasnew)$/;
  const $ = window.django && window.django.jQuery;
  const MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;
  const body = form.querySelector("textarea[data-body-editor-module]");

  function skipped(element) {
    return (
      !element.name ||
      SKIP.test(element.name) ||
      element.name.includes("__prefix__") ||
      ["file", "submit", "button", "reset"].includes(element.type) ||
      element.closest("[data-form-backup='skip']") !== null
    );
  }

  // The form as name -> list of values (JSON strings, to compare); `served`:
  // as the page came (typing may start before the body's editor is ready).
  function snapshot(served) {
    const values = {};
    for (const element of form.elements) {
      if (skipped(element)) {
        continue;
      }
      const list = (values[element.name] ||= []);
      if (element.type === "checkbox" || element.type === "radio") {
        if (served ? element.defaultChecked : element.checked) {
          list.push(JSON.stringify(element.value));
        }
      } else if (element.tagName === "SELECT") {
        let options = Array.from(element.options).filter((option) =>
          served ? option.defaultSelected : option.selected,
        );
        if (served && !options.length && !element.multiple && element.options.length) {
          options = [element.options[0]]; // what a browser shows selected
        }
        for (const option of options) {
          list.push(JSON.stringify([option.value, option.text]));
        }
      } else if (element.bodyEditor) {
        list.push(JSON.stringify(element.bodyEditor.getHTML()));
      } else {
        list.push(JSON.stringify(served ? element.defaultValue : element.value));
      }
    }
    return values;
  }

  function currentVersion() {
    return version ? version.value : "";
  }

  function same(a, b) {
    return JSON.stringify(a || []) === JSON.stringify(b || []);
  }

  function changedNames(values, base) {
    return Object.keys(values).filter((name) => !same(values[name], base[name]));
  }

  function label(name) {
    const element = form.elements.namedItem(name);
    const first = element && element.length !== undefined && !element.tagName ? element[0] : element;
    if (!first) {
      return name;
    }
    const text =
      (first.labels && first.labels[0] && first.labels[0].textContent) ||
      first.getAttribute("aria-label") ||
      name;
    return text.replace(/:\s*$/, "").trim();
  }

  let base = null;
  let timer = null;

  // While "Restore unsaved changes?" waits for an answer, the copy it offers
  // is kept as it is (typing meanwhile has the unsaved-changes warning).
  let deciding = false;

  function write() {
    timer = null;
    if (base === null || deciding) {
      return;
    }
    const values = snapshot();
    const changed = changedNames(values, base);
    if (!changed.length) {
      storage.removeItem(config.key);
      return;
    }
    const copy = {
      version: currentVersion(),
      at: new Date().toISOString(),
      base: base,
      values: Object.fromEntries(changed.map((name) => [name, values[name]])),
      totals: totals(values),
    };
    try {
      storage.setItem(config.key, JSON.stringify(copy));
    } catch (error) {
      // A full or refused storage: the unsaved-changes warning still stands.
    }
  }

  function totals(values) {
    const found = {};
    for (const name of Object.keys(values)) {
      if (name.endsWith("-TOTAL_FORMS")) {
        found[name.slice(0, -"-TOTAL_FORMS".length)] = Number(JSON.parse(values[name][0]));
      }
    }
    return found;
  }

  function later() {
    if (base !== null && timer === null) {
      timer = window.setTimeout(write, 1000);
    }
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("click", later); // "Add another", delete boxes
  form.addEventListener("autosave:saved", later); // the copy's version moved on
  if ($) {
    $(form).on("change", later); // select2's choices are jQuery events
  }
  window.addEventListener("pagehide", function () {
    if (timer !== null) {
      window.clearTimeout(timer);
      write();
    }
  });
  form.addEventListener("submit", function () {
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    write();
    window.sessionStorage.setItem(SUBMITTED, config.key);
  });

  function addRows(prefix, wanted) {
    const total = form.elements.namedItem(`${prefix}-TOTAL_FORMS`);
    const add = document.querySelector(`#${CSS.escape(prefix)}-group .add-row a`);
    let guard = 100;
    while (total && add && Number(total.value) < wanted && guard--) {
      add.click();
    }
  }

  function put(name, list) {
    const elements = Array.from(form.elements).filter((e) => e.name === name && !skipped(e));
    for (const element of elements) {
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = list.includes(JSON.stringify(element.value));
      } else if (element.tagName === "SELECT") {
        const chosen = list.map((item) => JSON.parse(item));
        for (const [value, text] of chosen) {
          if (!Array.from(element.options).some((o) => o.value === value)) {
            element.add(new Option(text, value));
          }
        }
        const values = chosen.map(([value]) => value);
        for (const option of element.options) {
          option.selected = values.includes(option.value);
        }
      } else if (element.bodyEditor) {
        element.bodyEditor.commands.setContent(JSON.parse(list[0] || '""'));
        element.value = element.bodyEditor.getHTML();
      } else if (name.endsWith("-TOTAL_FORMS")) {
        continue; // the rows added above set it
      } else {
        element.value = list.length ? JSON.parse(list[0]) : "";
      }
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
      if ($ && element.tagName === "SELECT") {
        $(element).trigger("change"); // select2 shows the choice
      }
    }
  }

  function restore(copy) {
    for (const [prefix, wanted] of Object.entries(copy.totals || {})) {
      addRows(prefix, wanted);
    }
    for (const [name, list] of Object.entries(copy.values)) {
      put(name, list);
    }
  }

  function close() {
    prompt.hidden = true;
    deciding = false;
  }

  function ask(copy) {
    const now = snapshot();
    const names = Object.keys(copy.values).filter((name) => !same(copy.values[name], now[name]));
    const shown = names.filter((name) => !MANAGEMENT.test(name));
    if (!shown.length || !prompt) {
      return; // the form shows it already (sent back with errors): kept, rewritten
    }
    const when = new Date(copy.at).toLocaleString();
    const stale = copy.version !== currentVersion();
    const both = stale
      ? shown.filter((name) => !same(now[name], copy.base[name]))
      : [];
    prompt.querySelector(".restore-changes-when").textContent = when;
    prompt.querySelector(".restore-changes-fields").textContent = [
      ...new Set(shown.map(label)),
    ].join(", ");
    prompt.querySelector(".restore-changes-stale").hidden = !stale;
    const conflicts = prompt.querySelector(".restore-changes-conflicts");
    conflicts.hidden = !both.length;
    conflicts.querySelector("span").textContent = [...new Set(both.map(label))].join(", ");
    prompt.hidden = false;
    deciding = true;
    prompt.querySelector("button[data-restore]").onclick = function () {
      restore({ ...copy, values: Object.fromEntries(names.map((n) => [n, copy.values[n]])) });
      close();
      later();
      form.dispatchEvent(new CustomEvent("form-backup:restored", { bubbles: true }));
    };
    prompt.querySelector("button[data-discard]").onclick = function () {
      storage.removeItem(config.key);
      close();
      later(); // anything typed while the question was open
    };
    prompt.querySelector("button[data-restore]").focus();
  }

  function start() {
    base = snapshot(true);
    if (body && body.bodyEditor) {
      body.bodyEditor.on("update", later);
    }
    later(); // what was typed before this point
    let copy = null;
    try {
      copy = JSON.parse(storage.getItem(config.key) || "null");
    } catch (error) {
      copy = null;
    }
    if (!copy || !copy.values || !copy.base) {
      return;
    }
    if (copy.version === currentVersion()) {
      // The form as saved is the copy's base (a form sent back with errors, or
      // autosaved since, shows more than what was saved).
      base = copy.base;
    }
    ask(copy);
  }

  // The body's text is compared as its editor holds it: start once it is ready.
  if (body && !body.bodyEditor) {
    let started = false;
    const go = function () {
      if (!started) {
        started = true;
        start();
      }
    };
    body.addEventListener("body-editor:ready", go);
    window.setTimeout(go, 5000); // the editor did not start: the textarea it is
  } else {
    start();
  }
})();
