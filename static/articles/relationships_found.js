/* "Add" on a relationship the "People found" panel proposes: a new row of the
   story's inline "Relationships this story reports" (Django's own "Add
   another"), filled with who, what, whom, the amount and the sentence. The
   editor checks it and saves; nothing is recorded before. The panel's rows are
   replaced as the story is typed, so the clicks are caught on the document. */
(function () {
  "use strict";

  const PREFIX = "relationship_sources";

  function choose(select, id, name) {
    if (!select) {
      return;
    }
    let option = Array.from(select.options).find((o) => o.value === String(id));
    if (!option) {
      option = new Option(name, id, true, true);
      select.append(option);
    }
    select.value = String(id);
    // The autocomplete (select2) shows the choice once told of the change.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).trigger("change");
    } else {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function addRow(data) {
    const group = document.getElementById(PREFIX + "-group");
    const add = group && group.querySelector(".add-row a");
    if (!add) {
      return null;
    }
    add.click();
    const total = document.getElementById("id_" + PREFIX + "-TOTAL_FORMS");
    const row = document.getElementById(PREFIX + "-" + (Number(total.value) - 1));
    if (!row) {
      return null;
    }
    const field = (name) => row.querySelector(`[name$="-${name}"]`);
    choose(field("subject"), data.subjectId, data.subjectName);
    field("kind").value = data.kind;
    choose(field("object_person"), data.objectId, data.objectName);
    field("amount").value = data.amount || "";
    field("quote").value = data.quote;
    return row;
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.add-relationship");
    if (!button) {
      return;
    }
    event.preventDefault();
    const row = addRow(button.dataset);
    const status = document.querySelector("#people-found .people-found-status");
    if (row) {
      button.disabled = true;
      button.textContent = "Added";
      row.scrollIntoView({ block: "center" });
      if (status) {
        status.textContent =
          "Added to “Relationships this story reports”: check it and save.";
      }
    } else if (status) {
      status.textContent = "You cannot add relationships to this story.";
    }
  });
})();
