"""The HTML report's stylesheet and script, and the Content-Security-Policy that admits only them.

Both are constants, so the policy pins them by their SHA-256 hashes (no nonce: the same scan gives
the same file). Everything else (inline `style` attributes, event-handler attributes, any URL) is
refused by the browser, so even an escaping bug could neither run code nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root{--crit:#8b0000;--high:#c62828;--med:#b26a00;--low:#1565c0;--info:#5f6b7a;--line:#d6dbe1;
--bg:#fff;--soft:#f4f6f8;--ink:#1d2329;--muted:#5b6570;--accent:#0b57d0}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:var(--bg)}
header.top{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--soft)}
header.top h1{margin:0 0 4px;font-size:20px}
.muted{color:var(--muted)}
nav.views{display:flex;flex-wrap:wrap;gap:4px;padding:8px 24px;border-bottom:1px solid var(--line);
position:sticky;top:0;background:var(--bg);z-index:2}
nav.views a{padding:6px 12px;border-radius:6px;text-decoration:none;color:var(--accent)}
nav.views a.active{background:var(--accent);color:#fff}
main{padding:8px 24px 48px}
[id]{scroll-margin-top:56px}
table.facts{width:auto}
table.facts th{width:180px}
section.view{margin-top:16px}
body.js section.view{display:none}
body.js section.view.active{display:block}
h2{font-size:18px;margin:16px 0 8px}
h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
#findings-table{table-layout:fixed}
#findings-table .c-severity{width:92px}#findings-table .c-rule{width:190px}
#findings-table .c-category{width:130px}#findings-table .c-location{width:210px}
#findings-table .c-resource{width:160px}#findings-table .c-application{width:120px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;
overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 16px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:110px}
.card b{display:block;font-size:22px}
.sev{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600}
.sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--med)}
.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
.controls[hidden]{display:none}
.controls select,.controls input{font:inherit;padding:4px 6px}
.controls input{min-width:240px}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
ol.related{margin:4px 0 0;padding-left:18px;font-size:12.5px;color:var(--muted)}
.fix{font-size:12.5px}
.remedy{white-space:pre-wrap}
.diagram{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:8px;margin:6px 0}
svg text{font-family:system-ui,sans-serif;font-size:12px;fill:var(--ink)}
svg .hop{fill:#fff;stroke:#7a8591;stroke-width:1.2}
svg .hop-first{stroke:var(--high);stroke-width:2}
svg .hop-last{stroke:var(--crit);stroke-width:2}
svg .arrow{stroke:#7a8591;stroke-width:1.5;fill:none}
svg .arrowhead{fill:#7a8591}
svg .hop-loc{font-family:ui-monospace,monospace;font-size:11px;fill:var(--muted)}
svg .bar{fill:var(--high)}
svg .bar-app{fill:var(--crit)}
svg .axis{stroke:var(--line)}
article.fn{border:1px solid var(--line);border-radius:8px;padding:4px 16px 8px;margin:12px 0}
.pill{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 8px;
font-size:12px;margin-right:4px}
.bad{color:var(--high);font-weight:600}.good{color:#2e7d32}
.empty{color:var(--muted);font-style:italic}
ul.index{columns:3 240px;padding-left:18px}
"""

JS = """
(function () {
  "use strict";
  var body = document.body;
  body.classList.add("js");
  var views = Array.prototype.slice.call(document.querySelectorAll("section.view"));
  var links = Array.prototype.slice.call(document.querySelectorAll("nav.views a"));
  function show(hash) {
    var id = (hash || "").replace(/^#/, "");
    var target = id ? document.getElementById(id) : null;
    var view = target && target.closest ? target.closest("section.view") : null;
    if (!view) { view = views[0]; target = null; }
    views.forEach(function (v) { v.classList.toggle("active", v === view); });
    links.forEach(function (a) { a.classList.toggle("active", a.getAttribute("href") === "#" + view.id); });
    if (target && target !== view) { target.scrollIntoView(); } else { window.scrollTo(0, 0); }
  }
  window.addEventListener("hashchange", function () { show(location.hash); });
  show(location.hash);

  var table = document.getElementById("findings-table");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  rows.forEach(function (r) { r.fgText = r.textContent.toLowerCase(); });
  var controls = document.getElementById("controls");
  var count = document.getElementById("shown-count");
  var selects = Array.prototype.slice.call(controls.querySelectorAll("select"));
  var search = document.getElementById("filter-text");
  controls.hidden = false;
  function apply() {
    var query = search.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) { return !s.value || row.getAttribute(s.name) === s.value; });
      ok = ok && (!query || row.fgText.indexOf(query) !== -1);
      if (row.hidden === ok) { row.hidden = !ok; }  // touch only rows that change
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " findings shown";
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  search.addEventListener("input", apply);

  var numeric = {"data-rank": true, "data-line": true, "data-i": true};
  function value(row, key) {
    return numeric[key] ? Number(row.getAttribute(key)) : row.getAttribute(key) || "";
  }
  function compare(a, b) {  // the keys end with data-i, so no two rows compare equal
    for (var k = 0; k < a.length; k += 1) {
      if (a[k] < b[k]) { return -1; }
      if (a[k] > b[k]) { return 1; }
    }
    return 0;
  }
  Array.prototype.slice.call(table.tHead.querySelectorAll("th[data-sort]")).forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var keys = th.getAttribute("data-sort").split(" ");
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      Array.prototype.slice.call(table.tHead.querySelectorAll("th")).forEach(function (h) {
        h.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", dir);
      var sign = dir === "ascending" ? 1 : -1;
      var decorated = rows.map(function (r) {
        return {row: r, values: keys.map(function (k) { return value(r, k); })};
      });
      decorated.sort(function (a, b) { return sign * compare(a.values, b.values); });
      rows = decorated.map(function (d) { return d.row; });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (r) { fragment.appendChild(r); });
      tbody.appendChild(fragment);
    });
  });
  apply();
})();
"""


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    """Nothing but this stylesheet and this script; images only as data: URIs; no forms, no base."""
    return (
        "default-src 'none'; "
        f"style-src {_sha256(CSS)}; "
        f"script-src {_sha256(JS)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
