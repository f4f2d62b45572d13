/* Pokin chart: each node's panel, with its history and (for who may edit it) the tree editor.
   Every box and item of the chart is focusable; a click on it, or Enter or Space when it has the
   focus, opens a side panel loaded by htmx (pohon.views.NodePanelView). The panel's actions load
   the editor's forms into the panel; a saved change swaps in the new chart, totals and checks
   (hx-select-oob on #pohon-page), or only the changed boxes and the totals above them (out-of-band
   swaps, pohon/chart_partial.py) and then the checks and header, loaded after; then the panel
   reloads for the changed node. Escape closes the
   form, then the panel; focus returns to the node. Everything is delegated: nothing is built per
   node (2,000 buttons cost the browser 110 to 360 ms of layout). htmx is vendored, nothing is
   loaded from the network. */
(function () {
  "use strict";
  const page = document.getElementById("pohon-page");
  const panel = document.getElementById("node-panel");
  const body = document.getElementById("node-panel-body");
  const status = document.getElementById("np-status");
  if (!page || !panel || !window.htmx || !window.PokinEditing) return;
  const panelUrl = page.dataset.nodeUrl;  // ".../node/0/"
  let current = null;  // the pk of the node whose panel is open
  let focusTitle = false;

  function chart() { return document.getElementById("chart"); }
  function nodeElement(pk) {
    const head = document.getElementById("cc-head");
    return head && head.dataset.node === String(pk) ? head : document.getElementById("n-" + pk);
  }
  function pkOf(element) { return element.id === "cc-head" ? element.dataset.node : element.id.slice(2); }
  /* the innermost box or item around an event's target, if it is in the chart */
  function nodeAt(target) {
    const element = target.closest(".cc-box[tabindex], .cc-item[tabindex]");
    return element && chart().contains(element) ? element : null;
  }

  const editing = window.PokinEditing;
  function say(text, isError) { editing.say(status, text, isError); }
  function markCurrent(pk) {
    chart().querySelectorAll(".cc-current").forEach(function (e) { e.classList.remove("cc-current"); });
    const element = pk ? nodeElement(pk) : null;
    if (element) element.classList.add("cc-current");
  }
  function formArea() { return document.getElementById("node-panel-form"); }

  function openPanel(pk, message) {
    current = String(pk);
    panel.hidden = false;
    document.body.classList.add("np-is-open");
    markCurrent(current);
    focusTitle = true;
    say(message || "");
    return window.htmx.ajax("GET", panelUrl.replace(/\/0\/$/, "/" + current + "/"), { source: panel, target: body, swap: "innerHTML" });
  }
  function closePanel() {
    const pk = current;
    panel.hidden = true;
    document.body.classList.remove("np-is-open");
    body.innerHTML = "";
    current = null;
    markCurrent(null);
    const element = pk ? nodeElement(pk) : null;
    if (element) element.focus();
  }
  function closeForm() {
    const area = formArea();
    if (!area || !area.firstElementChild) return false;
    area.innerHTML = "";
    const first = body.querySelector(".np-actions button:not([disabled])") || document.getElementById("node-panel-title");
    if (first) first.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest(".np-close")) { closePanel(); return; }
    const finding = event.target.closest(".check-link");  // a finding of the checks: open its node too
    if (finding) {
      const element = document.getElementById(finding.dataset.target);
      if (element && chart().contains(element)) openPanel(pkOf(element));
      return;
    }
    if (event.target.closest("#node-panel .pe-cancel")) { closeForm(); return; }
    if (event.target.closest("button, a, input, select, textarea")) return;  // the chart's toggles
    const element = nodeAt(event.target);
    if (element && !String(window.getSelection())) openPanel(pkOf(element));  // not when selecting text
  });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Enter" || event.key === " ") && event.target === nodeAt(event.target)) {
      event.preventDefault();
      openPanel(pkOf(event.target));
      return;
    }
    if (event.key !== "Escape" || panel.hidden) return;
    event.preventDefault();
    if (!closeForm()) closePanel();
  });

  /* an action of the panel: a new form replaces the old, the last message goes */
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.classList && event.detail.elt.classList.contains("np-btn")) say("");
  });

  /* something arrived in the panel: the panel itself (focus its title) or a form (its first field) */
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (panel.hidden) return;
    if (focusTitle && event.target === body) {
      focusTitle = false;
      document.getElementById("node-panel-title").focus();
      return;
    }
    const form = panel.querySelector(".pe-form-panel");
    if (form && !form.contains(document.activeElement)) editing.focusForm(form);
  });

  /* a refusal without a form (403: not this user's branch, or the tree is no longer editable) */
  document.body.addEventListener("htmx:responseError", function (event) {
    if (panel.hidden) panel.hidden = false;
    say(editing.refusalText(event.detail.xhr), true);
  });

  /* saved: the new chart, or only the changed boxes and the totals above them, is in; show the
     changed node and its panel. After a partial answer the checks and the header come next. */
  document.body.addEventListener("pokinEdited", function (event) {
    if (event.detail.refresh) {
      /* a box swapped in alone inside a collapsed branch keeps the branch's toggle right */
      chart().querySelectorAll(".cc-branch.is-collapsed > .cc-box .cc-toggle").forEach(function (toggle) {
        toggle.setAttribute("aria-expanded", "false");
        toggle.textContent = "+";
      });
      window.htmx.ajax("GET", event.detail.refresh, { source: page, target: "#pohon-checks", swap: "none", selectOOB: "#pohon-meta,#pohon-checks" });
    }
    const head = document.getElementById("cc-head");
    const pk = event.detail.node || (head && head.dataset.node);  // deleted at the top: the head's panel
    const element = nodeElement(pk);
    if (element) {
      element.classList.add("flash");
      setTimeout(function () { element.classList.remove("flash"); }, 1500);
      element.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
    openPanel(pk, event.detail.message);
  });
})();
