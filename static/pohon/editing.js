/* What the tree editor shares on the table (editor.js) and the chart (panel.js): the status
   line, a form that arrived (its kind's fields shown, focus on its first or first wrong field)
   and the text of a refusal. Loaded before both. */
(function () {
  "use strict";

  /* the add form shows Pagu or Target/Satuan only for the kinds that carry them */
  function syncKind(form) {
    const jenis = form.querySelector("select[name=jenis]");
    if (!jenis) return;
    form.querySelectorAll(".pe-field[data-jenis]").forEach(function (field) {
      field.hidden = field.dataset.jenis.split(" ").indexOf(jenis.value) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches(".pe-form select[name=jenis]")) syncKind(event.target.form);
  });

  window.PokinEditing = {
    say: function (status, text, isError) {
      if (!status) return;
      status.textContent = text || "";
      status.classList.toggle("pe-status-error", !!isError);
    },
    focusForm: function (container) {
      const form = container.querySelector("form");
      if (form) syncKind(form);
      const field = container.querySelector(".has-error input, .has-error select, .has-error textarea") ||
        container.querySelector("input:not([type=hidden]):not([disabled]), select, textarea, .pe-submit, .pe-cancel");
      if (field) field.focus();
    },
    /* a refusal without a form (403: not this user's branch, or the tree is no longer editable) */
    refusalText: function (xhr) {
      const plain = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0;
      return (plain && xhr.responseText) || "Perubahan ditolak (" + xhr.status + ").";
    },
  };
})();
