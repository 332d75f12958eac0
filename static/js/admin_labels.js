/* Names for what the admin's autocomplete boxes (Select2) draw without one: the
   search input of a many-value box is named after the field's label, and the
   "clear" control drawn inside the list of chosen values is put in a list item;
   an empty single-value box (an optional field left empty) is named after its
   select's name (`core.admin_labels`) or label. Select2 redraws these on
   every change, hence the observer. */
(function () {
  "use strict";

  function fieldLabel(container) {
    const select = container.previousElementSibling;
    if (!select || !select.id) {
      return "";
    }
    const label = document.querySelector("label[for='" + select.id + "']");
    if (label) {
      return label.textContent.replace(/:\s*$/, "").trim();
    }
    return select.getAttribute("aria-label") || "";
  }

  function nameEmptyBox(container) {
    const box = container.querySelector(".select2-selection--single[role=combobox]");
    const rendered = container.querySelector(".select2-selection__rendered");
    if (!box || !rendered) {
      return;
    }
    const empty = !rendered.textContent.replace("×", "").trim();
    for (const element of [box, rendered]) {
      if (empty && !element.hasAttribute("aria-label")) {
        const text = fieldLabel(container);
        if (text) {
          element.setAttribute("aria-label", text);
          element.dataset.namedEmpty = "true";
        }
      } else if (!empty && element.dataset.namedEmpty) {
        element.removeAttribute("aria-label");
        delete element.dataset.namedEmpty;
      }
    }
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
      nameEmptyBox(container);
      container.querySelectorAll("ul.select2-selection__rendered > :not(li)")
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
