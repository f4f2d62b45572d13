/* The Pemda chart (pohon.pemda.chart): each supporting agency is a collapsed <details>; opening it
   the first time fetches its Tujuan, Sasaran and Indikator (an HTML fragment from the server) into
   its body. Nothing is loaded for an agency never opened. Plain JavaScript, nothing from the network. */
(function () {
  "use strict";
  const chart = document.getElementById("chart");
  if (!chart) return;

  function load(details) {
    if (details.dataset.loaded === "1" || details.dataset.loading === "1") return;
    const body = details.querySelector(".pc-body");
    details.dataset.loading = "1";
    body.textContent = chart.dataset.loading || "…";
    fetch(details.dataset.url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        body.innerHTML = html;  // the server's own escaped markup
        details.dataset.loaded = "1";
      })
      .catch(function () {
        body.textContent = chart.dataset.error || "Error";
      })
      .finally(function () { delete details.dataset.loading; });
  }

  chart.addEventListener("toggle", function (event) {
    const details = event.target;
    if (details.classList && details.classList.contains("pc-dinas") && details.open) load(details);
  }, true);

  const years = document.getElementById("pc-year");
  if (years) {
    years.addEventListener("change", function () {
      window.location.href = years.dataset.urlTemplate.replace(/\/9999\/$/, "/" + years.value + "/");
    });
  }
})();
