/* Pokin chart: zoom, pan and where the chart opens. Plain JavaScript, nothing from the network.

   Where it opens (startView): a zoom the user chose for this tree before (remembered in
   localStorage per agency, year and revision) wins; else the whole tree fitted to the frame when
   it stays readable; else the head's box with the first Bidang (for an operator: their own unit's
   box, named server-side in #chart-viewport's data-own-nodes) at the largest readable scale that
   shows both; else, where not even that fits (a phone), the operator's box or the head's box alone.

   Readable: the boxes' running text (.cc-box, 0.78rem = 12.5 px at scale 1) not below 9 px on
   screen, so the scale never goes under 9 / 12.5 = 0.72 on its own. The small kind labels
   ("PROGRAM", 0.68rem) then stay near 8 px. The zoom buttons may still go lower on request.

   Pan and pinch: pointer events on the frame (touch-action: none in chart-view.css). One finger,
   or a mouse pressed outside the boxes (inside them the mouse selects text and clicks open the
   panel), drags the chart; two fingers pinch-zoom around their middle; Ctrl + wheel (a
   trackpad's pinch) zooms around the pointer. The zoom is kept on #chart itself (its style), so
   a chart swapped in by the editor (its innerHTML) keeps it. */
(function () {
  "use strict";
  const viewport = document.getElementById("chart-viewport");
  const chart = document.getElementById("chart");
  if (!viewport || !chart) return;

  const READABLE_TEXT_PX = 9;
  const MIN_SCALE = 0.1, MAX_SCALE = 2;
  const storageKey = "pokin.zoom." + (viewport.dataset.zoomKey || location.pathname);
  let scale = 1;

  function boxTextPx() {
    const box = chart.querySelector(".cc-box:not(.cc-box--head)") || chart.querySelector(".cc-box");
    return box ? parseFloat(getComputedStyle(box).fontSize) : 12.5;
  }
  function readableScale() { return Math.min(1, READABLE_TEXT_PX / boxTextPx()); }

  /* ---- scale: CSS zoom, so the layout itself scales: the frame scrolls exactly the tree, a
     search's scrollIntoView and a folded branch need no re-measuring (a transform left the layout
     box unscaled and its height set by hand went stale when a branch opened) ---- */
  let frame = 0, pending = null;  // a pinch or wheel lays out once per frame, not once per event
  function applyScale(value) {
    scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, value));
    chart.style.zoom = scale === 1 ? "" : String(scale);
    chart.dataset.scale = scale.toFixed(2);
  }
  function remember() {
    try { localStorage.setItem(storageKey, String(scale)); } catch (e) { /* storage off: nothing kept */ }
  }
  function remembered() {
    let value = null;
    try { value = parseFloat(localStorage.getItem(storageKey)); } catch (e) { return null; }
    return value >= MIN_SCALE && value <= MAX_SCALE ? value : null;
  }

  /* ---- geometry in the chart's own (unscaled) pixels ---- */
  function frameInner() {
    const style = getComputedStyle(viewport);
    const padX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const padY = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    return { width: viewport.clientWidth - padX, height: viewport.clientHeight - padY };
  }
  function rectOf(element) {
    const c = chart.getBoundingClientRect(), r = element.getBoundingClientRect();
    return { left: (r.left - c.left) / scale, top: (r.top - c.top) / scale, width: r.width / scale, height: r.height / scale };
  }
  function union(a, b) {
    const left = Math.min(a.left, b.left), top = Math.min(a.top, b.top);
    const right = Math.max(a.left + a.width, b.left + b.width), bottom = Math.max(a.top + a.height, b.top + b.height);
    return { left: left, top: top, width: right - left, height: bottom - top };
  }
  /* the frame's scroll position of a point of the chart (unscaled), at the current scale */
  function scrollOrigin() {
    const c = chart.getBoundingClientRect(), v = viewport.getBoundingClientRect();
    return { x: c.left - v.left - viewport.clientLeft + viewport.scrollLeft, y: c.top - v.top - viewport.clientTop + viewport.scrollTop };
  }
  /* show ``rect`` (chart pixels) whole where it fits: centred, or (``leftmost``) with as much of
     the tree left of it as the frame still holds; its top at the frame's top */
  function scrollToRect(rect, leftmost) {
    const origin = scrollOrigin(), inner = frameInner();
    const style = getComputedStyle(viewport);
    const padLeft = parseFloat(style.paddingLeft), padTop = parseFloat(style.paddingTop);
    const left = rect.left * scale, right = left + rect.width * scale;
    let x = leftmost ? Math.min(left, Math.max(0, right - inner.width)) : left - (inner.width - rect.width * scale) / 2;
    viewport.scrollLeft = Math.max(0, origin.x + x - padLeft);
    viewport.scrollTop = Math.max(0, origin.y + rect.top * scale - padTop);
  }

  function headBox() { return document.getElementById("cc-head"); }
  function ownBox() {
    const ids = (viewport.dataset.ownNodes || "").split(" ").filter(Boolean);
    for (let i = 0; i < ids.length; i++) {
      const element = document.getElementById("n-" + ids[i]);
      if (element && element.offsetParent !== null) return element;
    }
    return null;
  }
  /* the first box under the head's: in the seed's form, the first Bidang */
  function firstBox() { return chart.querySelector(".cc-children > .cc-branch > .cc-box"); }

  /* the tree fitted to the frame's width (never above 100%) */
  function fitScale() {
    applyScale(1);
    return Math.min(1, frameInner().width / Math.max(1, chart.scrollWidth));
  }
  function fit() {
    applyScale(fitScale());
    viewport.scrollLeft = 0;
    viewport.scrollTop = 0;
  }

  /* where a reader starts, at ``chosen`` (a remembered zoom) or at a scale chosen here */
  function startView(chosen) {
    const head = headBox();
    if (!head) return;
    const readable = readableScale();
    if (!chosen && fitScale() >= readable) { fit(); return; }
    applyScale(1);
    const width = frameInner().width;
    const own = ownBox(), start = own || firstBox();
    const headRect = rectOf(head);
    /* what to show, best first: the head with the operator's box or with the first Bidang (and
       the tree's left edge, the first Bidang's Seksi, when that still fits); else the operator's
       box or the head's alone */
    const views = [];
    if (start) {
      const pair = union(headRect, rectOf(start));
      if (!own) views.push(union(pair, { left: 0, top: headRect.top, width: 1, height: 1 }));
      views.push(pair);
    }
    for (let i = 0; i < views.length; i++) {
      const fits = Math.min(1, width / views[i].width);
      if (chosen ? views[i].width * chosen <= width + 0.5 : fits >= readable) {
        applyScale(chosen || fits);
        scrollToRect(views[i], !own);
        return;
      }
    }
    const target = rectOf(own || head);
    applyScale(chosen || Math.max(readable, Math.min(1, width / target.width)));
    scrollToRect(target, false);
  }

  /* ---- zoom keeping a point of the frame where it is (the buttons: the frame's middle) ---- */
  function zoomAt(value, clientX, clientY) {
    const v = viewport.getBoundingClientRect();
    const x = clientX === undefined ? v.left + viewport.clientWidth / 2 : clientX;
    const y = clientY === undefined ? v.top + viewport.clientHeight / 2 : clientY;
    const origin = scrollOrigin();
    const before = scale;
    const px = (viewport.scrollLeft + x - v.left - origin.x) / before;
    const py = (viewport.scrollTop + y - v.top - origin.y) / before;
    applyScale(value);
    viewport.scrollLeft = origin.x + px * scale - (x - v.left);
    viewport.scrollTop = origin.y + py * scale - (y - v.top);
  }
  function zoomSoon(value, clientX, clientY) {
    pending = { value: value, x: clientX, y: clientY };
    if (frame) return;
    frame = requestAnimationFrame(function () {
      frame = 0;
      zoomAt(pending.value, pending.x, pending.y);
      pending = null;
      remember();  // only the user's gestures come here
    });
  }
  const zoomButtons = {
    "zoom-in": function () { zoomAt(scale * 1.25); },
    "zoom-out": function () { zoomAt(scale / 1.25); },
    "zoom-fit": fit,
    "zoom-reset": function () { zoomAt(1); },
  };
  Object.keys(zoomButtons).forEach(function (id) {
    const button = document.getElementById(id);
    if (button) button.addEventListener("click", function () { zoomButtons[id](); remember(); });
  });

  viewport.addEventListener("wheel", function (event) {
    if (!event.ctrlKey) return;  // a trackpad's pinch, or Ctrl + wheel; a plain wheel scrolls
    event.preventDefault();
    zoomSoon((pending ? pending.value : scale) * Math.exp(-event.deltaY / 300), event.clientX, event.clientY);
  }, { passive: false });

  /* ---- drag to pan, pinch to zoom ---- */
  const pointers = new Map();
  let drag = null;   // one pointer: where it was, whether it has moved enough to be a drag
  let pinch = null;  // two pointers: their distance and the scale when the pinch began
  let swallowClick = false;

  function distance() {
    const p = Array.from(pointers.values());
    return Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
  }
  function middle() {
    const p = Array.from(pointers.values());
    return { x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2 };
  }
  viewport.addEventListener("pointerdown", function (event) {
    if (event.target.closest("button, a, input, select, textarea")) return;
    if (event.pointerType === "mouse" && (event.button !== 0 || event.target.closest(".cc-box"))) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 2) {
      pinch = { distance: distance(), scale: scale };
      drag = null;
      Array.from(pointers.keys()).forEach(function (id) { try { viewport.setPointerCapture(id); } catch (e) { /* gone */ } });
    } else if (pointers.size === 1) {
      drag = { id: event.pointerId, x: event.clientX, y: event.clientY, moved: false };
    }
  });
  viewport.addEventListener("pointermove", function (event) {
    const point = pointers.get(event.pointerId);
    if (!point) return;
    point.x = event.clientX;
    point.y = event.clientY;
    if (pinch && pointers.size === 2) {
      const m = middle();
      zoomSoon(pinch.scale * distance() / Math.max(1, pinch.distance), m.x, m.y);
      return;
    }
    if (!drag || drag.id !== event.pointerId) return;
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved) {
      if (Math.hypot(dx, dy) < 6) return;  // a tap or a click, not a drag
      drag.moved = true;
      viewport.classList.add("is-panning");
      try { viewport.setPointerCapture(event.pointerId); } catch (e) { /* gone */ }
    }
    const top = viewport.scrollTop;
    viewport.scrollLeft -= dx;
    viewport.scrollTop -= dy;
    /* past the frame's top or bottom the page scrolls on: a finger on the chart still reaches the page */
    const rest = dy + (viewport.scrollTop - top);
    if (Math.abs(rest) >= 1) window.scrollBy(0, -rest);
    drag.x = event.clientX;
    drag.y = event.clientY;
  });
  function release(event) {
    if (!pointers.has(event.pointerId)) return;
    pointers.delete(event.pointerId);
    if (pinch) {
      if (pointers.size < 2) pinch = null;
      drag = null;  // the finger left behind after a pinch does not start a drag
      swallowClick = true;
    } else if (drag && drag.id === event.pointerId) {
      if (drag.moved) swallowClick = true;
      drag = null;
    }
    if (!pointers.size) {
      viewport.classList.remove("is-panning");
      setTimeout(function () { swallowClick = false; }, 0);
    }
  }
  viewport.addEventListener("pointerup", release);
  viewport.addEventListener("pointercancel", release);
  /* the click that ends a drag or a pinch opens no panel */
  viewport.addEventListener("click", function (event) {
    if (!swallowClick) return;
    swallowClick = false;
    event.stopPropagation();
    event.preventDefault();
  }, true);

  /* printing lays the chart out at full size */
  let beforePrint = null;
  window.addEventListener("beforeprint", function () { beforePrint = scale; applyScale(1); });
  window.addEventListener("afterprint", function () { if (beforePrint !== null) applyScale(beforePrint); beforePrint = null; });

  /* ---- the phone's toolbar: the less-used controls fold under "Lainnya" ---- */
  const more = document.getElementById("toolbar-more");
  if (more) {
    more.addEventListener("click", function () {
      const toolbar = more.closest(".toolbar");
      const open = !toolbar.classList.contains("is-open");
      toolbar.classList.toggle("is-open", open);
      more.setAttribute("aria-expanded", String(open));
    });
  }

  startView(remembered());
})();
