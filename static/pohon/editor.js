/* Pokin tree editor on the table page: the glue around htmx.
   One form row open at a time; focus goes to its first field and Escape closes it; the add form
   shows Pagu or Target/Satuan only for the kinds that carry them; after a save the rows, totals
   and checks have been swapped in by htmx, and focus returns to the changed node's row.
   Nothing is loaded from the network; htmx is vendored under static/vendor/. */
(function () {
  "use strict";
  const editor = document.getElementById("pohon-editor");
  const status = document.getElementById("pe-status");
  if (!editor || !window.htmx || !window.PokinEditing) return;
  let opener = null;  // the row button that opened the current form, to return focus to

  /* The server marks each editable row's last cell with data-pe="<versi> <flags>" (c: may add a
     child, u: may move up, d: may move down); the buttons are built here so that a 20,000-row
     table is not sent with 120,000 buttons. */
  const nodeUrl = editor.dataset.nodeUrl;
  function button(label, symbol, kode, attrs, disabled) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "pe-btn";
    b.title = label;
    b.setAttribute("aria-label", label + " " + kode);
    Object.keys(attrs).forEach(function (name) { b.setAttribute(name, attrs[name]); });
    if (disabled) b.disabled = true;
    b.innerHTML = symbol;
    return b;
  }
  function buildActions() {
    const cells = document.querySelectorAll("td.pt-aksi[data-pe]:empty");
    cells.forEach(function (cell) {
      const row = cell.parentElement;
      const pk = row.id.slice(2);
      const kode = row.querySelector(".pt-kode").textContent;
      const parts = cell.dataset.pe.split(" ");
      const versi = parts[0];
      const flags = parts[1] || "";
      const url = nodeUrl + pk + "/";
      const move = function (arah) { return { "hx-post": url + "pindah/", "hx-vals": JSON.stringify({ arah: arah, versi: Number(versi) }) }; };
      const box = document.createElement("span");
      box.className = "pe-actions";
      box.appendChild(flags.indexOf("c") >= 0
        ? button("Tambah butir di bawah", "+", kode, { "hx-get": url + "tambah/?versi=" + versi })
        : document.createElement("span"));  // keeps the buttons in the same columns on every row
      box.appendChild(button("Ubah", "&#9998;", kode, { "hx-get": url + "ubah/?versi=" + versi }));
      box.appendChild(button("Naikkan", "&#8593;", kode, move("naik"), flags.indexOf("u") < 0));
      box.appendChild(button("Turunkan", "&#8595;", kode, move("turun"), flags.indexOf("d") < 0));
      box.appendChild(button("Pindahkan", "&#8644;", kode, { "hx-get": url + "pindah/?versi=" + versi }));
      box.appendChild(button("Hapus", "&#215;", kode, { "hx-get": url + "hapus/?versi=" + versi }));
      cell.appendChild(box);
    });
    if (cells.length) window.htmx.process(document.getElementById("pohon-rows") || editor);
  }
  buildActions();
  document.body.addEventListener("htmx:afterSettle", buildActions);

  function openRows() { return Array.from(document.querySelectorAll(".pe-form-row")); }
  function closeForms(returnFocus) {
    openRows().forEach(function (row) { row.remove(); });
    if (returnFocus && opener && document.body.contains(opener)) opener.focus();
  }
  const editing = window.PokinEditing;
  function say(text, isError) { editing.say(status, text, isError); }

  /* a row button opens a new form: close the old one first */
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const button = event.detail.elt;
    if (button.classList && button.classList.contains("pe-btn")) {
      closeForms(false);
      opener = button;
      say("");
    }
  });

  /* a form row arrived (new, or again with its errors): focus its first (or first wrong) field */
  document.body.addEventListener("htmx:afterSettle", function () {
    const row = openRows()[0];
    if (row && !row.contains(document.activeElement)) editing.focusForm(row);
  });

  document.body.addEventListener("click", function (event) {
    if (event.target.closest(".pe-cancel")) closeForms(true);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && openRows().length) {
      event.preventDefault();
      closeForms(true);
    }
  });

  /* a refusal without a form (403: not this user's branch, or the tree is no longer editable) */
  document.body.addEventListener("htmx:responseError", function (event) {
    say(editing.refusalText(event.detail.xhr), true);
  });

  /* saved: htmx has swapped in the new rows; show the message, put focus back on the node */
  document.body.addEventListener("pokinEdited", function (event) {
    buildActions();  // the swapped-in rows need their buttons before focus can go to one
    say(event.detail.message, false);
    const row = event.detail.node ? document.getElementById("n-" + event.detail.node) : null;
    if (!row) return;
    row.classList.add("flash");
    setTimeout(function () { row.classList.remove("flash"); }, 1500);
    row.scrollIntoView({ block: "nearest" });
    const button = row.querySelector(".pe-btn[hx-get*=\"/ubah/\"]") || row.querySelector(".pe-btn:not([disabled])");
    if (button) button.focus({ preventScroll: true });
  });
})();
