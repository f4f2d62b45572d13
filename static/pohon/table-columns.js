/* The tree table on a narrow screen: static/pohon/phone.css folds away the kode, jenis, unit,
   target and satuan columns; this button shows them again (the table then scrolls sideways),
   and hides them once more. The button is shown only where columns fold. */
(function () {
  "use strict";
  const button = document.getElementById("pt-columns");
  const table = document.getElementById("pohon-table");
  if (!button || !table) return;
  const labels = { show: button.textContent, hide: button.dataset.hideLabel || "Sembunyikan kolom tambahan" };
  button.addEventListener("click", function () {
    const all = table.classList.toggle("pt-all-columns");
    button.setAttribute("aria-pressed", all ? "true" : "false");
    button.textContent = all ? labels.hide : labels.show;
  });
})();
