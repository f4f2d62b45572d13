/* Pokin chart and table: collapse/expand, search with highlight, year switcher.
   Plain JavaScript, no libraries, nothing loaded from the network. */
(function () {
  "use strict";
  const chart = document.getElementById("chart");
  const table = document.getElementById("pohon-table");

  /* print button */
  const print = document.getElementById("print-page");
  if (print) print.addEventListener("click", function () { window.print(); });

  /* year switcher */
  const years = document.getElementById("year-switcher");
  if (years) {
    years.addEventListener("change", function () {
      window.location.href = years.dataset.urlTemplate.replace(/\/1\/(tabel\/)?$/, "/" + years.value + "/$1");
    });
  }

  /* ---- chart: collapse and expand branches ---- */
  function setBranch(branch, collapsed) {
    branch.classList.toggle("is-collapsed", collapsed);
    const toggle = branch.querySelector(":scope > .cc-box .cc-toggle");
    if (toggle) {
      toggle.setAttribute("aria-expanded", String(!collapsed));
      toggle.textContent = collapsed ? "+" : "\u2212";
    }
  }
  if (chart) {
    chart.addEventListener("click", function (event) {
      const toggle = event.target.closest(".cc-toggle");
      if (!toggle) return;
      const branch = toggle.closest(".cc-branch");
      setBranch(branch, !branch.classList.contains("is-collapsed"));
    });
  }

  /* ---- table: collapse and expand rows (a row's subtree is the following deeper rows) ---- */
  function tableRows() { return Array.from(table.tBodies[0].rows); }
  function setRow(row, collapsed) {
    row.classList.toggle("is-collapsed", collapsed);
    const toggle = row.querySelector(".pt-toggle");
    if (toggle) toggle.setAttribute("aria-expanded", String(!collapsed));
    const depth = Number(row.dataset.depth);
    let hiddenBelow = null;  // depth of a collapsed row inside the subtree
    for (let next = row.nextElementSibling; next && Number(next.dataset.depth) > depth; next = next.nextElementSibling) {
      const d = Number(next.dataset.depth);
      if (hiddenBelow !== null && d <= hiddenBelow) hiddenBelow = null;
      next.classList.toggle("is-hidden", collapsed || hiddenBelow !== null);
      if (!collapsed && hiddenBelow === null && next.classList.contains("is-collapsed")) hiddenBelow = d;
    }
  }
  if (table) {
    table.addEventListener("click", function (event) {
      const toggle = event.target.closest(".pt-toggle");
      if (!toggle) return;
      const row = toggle.closest("tr");
      setRow(row, !row.classList.contains("is-collapsed"));
    });
  }

  function setAll(collapsed) {
    if (chart) {
      chart.querySelectorAll(".cc-branch").forEach(function (b) {
        if (b.querySelector(":scope > .cc-box .cc-toggle")) setBranch(b, collapsed && !b.classList.contains("cc-branch--head"));
      });
    }
    if (table) {
      tableRows().forEach(function (row) {
        const hasToggle = row.querySelector(".pt-toggle");
        row.classList.toggle("is-collapsed", collapsed && !!hasToggle);
        row.classList.toggle("is-hidden", collapsed && Number(row.dataset.depth) > 1);
        if (hasToggle) hasToggle.setAttribute("aria-expanded", String(!collapsed));
      });
    }
  }
  const collapseAll = document.getElementById("collapse-all");
  const expandAll = document.getElementById("expand-all");
  if (collapseAll) collapseAll.addEventListener("click", function () { setAll(true); });
  if (expandAll) expandAll.addEventListener("click", function () { setAll(false); });

  /* ---- make a node visible: open every collapsed ancestor ---- */
  function reveal(element) {
    if (chart && chart.contains(element)) {
      for (let b = element.closest(".cc-branch"); b; b = b.parentElement.closest(".cc-branch")) {
        const title = b.querySelector(":scope > .cc-box > .cc-title");
        if (b.classList.contains("is-collapsed") && !title.contains(element)) setBranch(b, false);
      }
    }
    if (table && table.contains(element)) {
      const row = element.closest("tr");
      let depth = Number(row.dataset.depth);
      const ancestors = [];
      for (let prev = row.previousElementSibling; prev && depth > 1; prev = prev.previousElementSibling) {
        const d = Number(prev.dataset.depth);
        if (d < depth) { ancestors.push(prev); depth = d; }
      }
      ancestors.reverse().forEach(function (a) { if (a.classList.contains("is-collapsed")) setRow(a, false); });
      row.classList.remove("is-hidden");
    }
  }

  /* ---- search: highlight matches, open their branches ---- */
  const search = document.getElementById("tree-search");
  const count = document.getElementById("search-count");
  const container = chart || table;
  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function clearHits() {
    container.querySelectorAll("mark.hit").forEach(function (m) {
      const parent = m.parentNode;
      parent.replaceChild(document.createTextNode(m.textContent), m);
      parent.normalize();
    });
    container.querySelectorAll(".search-current").forEach(function (e) { e.classList.remove("search-current"); });
  }
  function highlight(element, query) {
    const text = element.textContent;
    const folded = fold(text);
    let index = folded.indexOf(query);
    if (index < 0) return false;
    const fragment = document.createDocumentFragment();
    let last = 0;
    while (index >= 0) {
      fragment.appendChild(document.createTextNode(text.slice(last, index)));
      const mark = document.createElement("mark");
      mark.className = "hit";
      mark.textContent = text.slice(index, index + query.length);
      fragment.appendChild(mark);
      last = index + query.length;
      index = folded.indexOf(query, last);
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    element.textContent = "";
    element.appendChild(fragment);
    return true;
  }
  let timer = null;
  function runSearch() {
    clearHits();
    const query = fold(search.value.trim());
    if (query.length < 2) { count.textContent = ""; return; }
    const hits = [];
    container.querySelectorAll(".cc-text, .pt-kode").forEach(function (element) {
      if (highlight(element, query)) hits.push(element);
    });
    hits.forEach(reveal);
    count.textContent = hits.length ? hits.length + " hasil" : "tidak ditemukan";
    if (hits.length) {
      hits[0].classList.add("search-current");
      hits[0].scrollIntoView({ block: "center", inline: "center" });
    }
  }
  /* the search box filters in place: its form never submits (pressing Enter would reload the page) */
  const searchForm = document.getElementById("tree-search-form");
  if (searchForm) searchForm.addEventListener("submit", function (event) { event.preventDefault(); });
  if (search && container) {
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 200); });
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      clearTimeout(timer);
      runSearch();
      /* on the chart, Enter goes on to the first match's box or item, where Enter opens its panel */
      const first = container.querySelector(".search-current");
      const node = first && chart ? first.closest("[tabindex]") : null;
      if (node) node.focus({ preventScroll: true });
    });
  }

  /* ---- links from the checks panel open the node (delegated: the editor swaps the panel) ---- */
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".check-link");
    if (!link) return;
    const target = document.getElementById(link.dataset.target);
    if (!target) return;
    reveal(target);
    target.classList.add("flash");
    setTimeout(function () { target.classList.remove("flash"); }, 1500);
  });

  /* ---- the editor swaps in a new chart or new rows: keep what the user had collapsed ---- */
  let collapsedBefore = null;
  document.addEventListener("htmx:beforeSwap", function () {
    collapsedBefore = [];
    if (chart) chart.querySelectorAll(".cc-branch.is-collapsed > .cc-box").forEach(function (box) { collapsedBefore.push(box.id); });
    if (table) table.querySelectorAll("tr.is-collapsed").forEach(function (row) { collapsedBefore.push(row.id); });
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!collapsedBefore) return;
    collapsedBefore.forEach(function (id) {
      const element = document.getElementById(id);
      if (!element) return;
      if (chart && chart.contains(element) && !element.parentElement.classList.contains("is-collapsed")) setBranch(element.parentElement, true);
      if (table && table.contains(element) && !element.classList.contains("is-collapsed")) setRow(element, true);
    });
    collapsedBefore = null;
  });
  /* zoom, pan and where the chart opens: static/pohon/chart-view.js */
})();
