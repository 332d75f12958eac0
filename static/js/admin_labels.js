/* Names for what the admin's autocomplete boxes (Select2) draw without one: the
   search input of a many-value box is named after the field's label, and the
   "clear" control drawn inside the list of chosen values is put in a list item;
   a one-value box that may be left empty (a role's race) is named after its
   select's own name ("Race, row 2") or its label, as its empty text names
   nothing. Select2 redraws these on every change, hence the observer. */
(function () {
  "use strict";

  function fieldLabel(container) {
    const select = container.previousElementSibling;
    if (!select || !select.id) {
      return "";
    }
    const label = document.querySelector("label[for='" + select.id + "']");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function mend() {
    document.querySelectorAll(".select2-container").forEach(function (container) {
      const search = container.querySelector(".select2-search__field");
      if (search && !search.hasAttribute("aria-label")) {
        const text = fieldLabel(container);
        if (text) {
          search.setAttribute("aria-label", text);
        }
      }
      const single = container.querySelector(
        ".select2-selection--single[role='combobox']"
      );
      const shown = single && single.querySelector(".select2-selection__rendered");
      [single, shown].forEach(function (element) {
        if (element && !element.hasAttribute("aria-label")) {
          const select = container.previousElementSibling;
          const text = (select && select.getAttribute("aria-label")) ||
            fieldLabel(container);
          if (text) {
            element.setAttribute("aria-label", text);
          }
        }
      });
      container.querySelectorAll(
        ".select2-selection--multiple .select2-selection__rendered > :not(li)"
      )
        .forEach(function (stray) {
          const item = document.createElement("li");
          stray.replaceWith(item);
          item.appendChild(stray);
        });
    });
  }

  function start() {
    mend();
    new MutationObserver(mend).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
