/* A live story's change form: "it will leave the site" shows as soon as the
   publish time typed (or picked with the calendar and clock) is in the future,
   with the box that confirms it; back to a past time, it hides and the box is
   unticked. The server asks for the same confirmation if the form is saved
   anyway (ArticleAdminForm._check_leaving_site). Times are compared in the
   newsroom's time zone: the page carries the server's clock there (data-now),
   moved on by the time the page has been open. A static file: the admin's CSP
   allows no inline script. */
(function () {
  "use strict";

  const box = document.getElementById("leave-site");
  const form = box && box.closest("form");
  const date = form && form.elements.namedItem("published_at_0");
  const time = form && form.elements.namedItem("published_at_1");
  if (!date || !time) {
    return;
  }
  const confirm = box.querySelector("input[type=checkbox]");
  const serverNow = wallClock(box.dataset.now.slice(0, 10), box.dataset.now.slice(11));
  const opened = Date.now();

  // A date (YYYY-MM-DD, as the admin writes it) and a time (HH:MM[:SS]) as
  // milliseconds of a wall clock; null when they are not in those forms.
  function wallClock(dateText, timeText) {
    const d = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(dateText);
    const t = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*$/.exec(timeText);
    if (!d || !t) {
      return null;
    }
    return Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2], +(t[3] || 0));
  }

  // true: in the future; false: not; null: a time this script cannot read.
  function inFuture() {
    const chosen = wallClock(date.value, time.value);
    if (chosen === null || serverNow === null) {
      return null;
    }
    return chosen > serverNow + (Date.now() - opened);
  }

  function update() {
    const future = inFuture();
    const show = future === true || (future === null && "unconfirmed" in box.dataset);
    if (show === !box.hidden) {
      return;
    }
    box.hidden = !show;
    if (!show && confirm) {
      confirm.checked = false;
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  // The admin's calendar and clock set the inputs without an event.
  document.addEventListener("click", function () {
    window.setTimeout(update, 0);
  });
  update();
})();
