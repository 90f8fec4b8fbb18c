// policyparse review page: hover cards, the sortable and filterable target table, outline and
// row clicks that scroll to the text. Builds every card with textContent (never innerHTML), so
// nothing from the document is ever parsed as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("review-data").textContent);
  var doc = document.getElementById("doc");
  var tip = document.getElementById("tip");
  var table = document.getElementById("targets");
  var tbody = table ? table.tBodies[0] : null;
  var rows = tbody ? Array.prototype.slice.call(tbody.rows) : [];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function join(list) { return (list && list.length) ? list.join("、") : ""; }

  function flash(nodes) {
    nodes.forEach(function (n) { n.classList.add("focus"); });
    setTimeout(function () { nodes.forEach(function (n) { n.classList.remove("focus"); }); }, 1600);
  }
  function pieces(attr, n) {
    return Array.prototype.slice.call(doc.querySelectorAll("mark[" + attr + '="' + n + '"]'));
  }
  function show(attr, n) {
    var ps = pieces(attr, n);
    if (!ps.length) return;
    ps[0].scrollIntoView({block: "center", inline: "nearest"});
    flash(ps);
  }

  // ---- hover cards -----------------------------------------------------------------------------
  function card(items, head) {
    tip.textContent = "";
    tip.appendChild(el("div", head, "tip-head"));
    var dl = el("dl");
    items.forEach(function (kv) {
      if (kv[1] === "" || kv[1] === null || kv[1] === undefined) return;
      dl.appendChild(el("dt", kv[0]));
      dl.appendChild(el("dd", kv[1]));
    });
    tip.appendChild(dl);
  }
  function targetCard(t) {
    var value = t.comparator + " " + t.value + (t.unit ? " " + t.unit : "");
    card([
      ["value", value],
      ["year", t.year === null ? "—" : t.year + " (" + t.year_source + ")"],
      ["period", t.period ? t.period.join("–") : ""],
      ["baseline", t.baseline_year === null ? "" : t.baseline_year],
      ["annual", t.annual ? "yes" : ""],
      ["direction", t.direction || ""],
      ["indicator", t.indicator],
      ["section", t.section],
      ["lead", join(t.lead)],
      ["support", join(t.support)],
      ["responsible", join(t.responsible)],
      ["rule", t.rule],
      ["span", t.span.join("–")]
    ], "target " + t.n + ": " + t.raw);
  }
  function noteCard(u) {
    card([["lead", join(u.lead)], ["support", join(u.support)], ["responsible", join(u.responsible)],
          ["section", u.section]], "responsibility note " + u.n);
  }
  function warningCard(w) { card([["kind", w.kind]], w.message); }

  function place(ev) {
    var x = ev.clientX + 14, y = ev.clientY + 16;
    var r = tip.getBoundingClientRect();
    if (x + r.width > window.innerWidth - 8) x = Math.max(8, window.innerWidth - r.width - 8);
    if (y + r.height > window.innerHeight - 8) y = Math.max(8, ev.clientY - r.height - 12);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  doc.addEventListener("mouseover", function (ev) {
    var m = ev.target.closest ? ev.target.closest("mark") : null;
    if (!m) { tip.hidden = true; return; }
    if (m.hasAttribute("data-target")) targetCard(data.targets[+m.getAttribute("data-target")]);
    else if (m.hasAttribute("data-units")) noteCard(data.notes[+m.getAttribute("data-units")]);
    else if (m.hasAttribute("data-warning")) warningCard(data.warnings[+m.getAttribute("data-warning")]);
    else { tip.hidden = true; return; }
    tip.hidden = false;
    place(ev);
  });
  doc.addEventListener("mousemove", function (ev) { if (!tip.hidden) place(ev); });
  doc.addEventListener("mouseleave", function () { tip.hidden = true; });

  // ---- clicks: outline → heading, row → mark, mark → row, warning list → warning ----------------
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[data-section], a[data-goto-warning]") : null;
    if (a) {
      ev.preventDefault();
      if (a.hasAttribute("data-section")) {
        var h = document.getElementById("sec-" + a.getAttribute("data-section"));
        if (h) { h.scrollIntoView({block: "start", inline: "nearest"}); flash([h]); }
      } else {
        show("data-warning", a.getAttribute("data-goto-warning"));
      }
    }
  });
  if (tbody) {
    tbody.addEventListener("click", function (ev) {
      var tr = ev.target.closest("tr[data-row]");
      if (!tr) return;
      select(tr);
      show("data-target", tr.getAttribute("data-row"));
    });
  }
  doc.addEventListener("click", function (ev) {
    var m = ev.target.closest ? ev.target.closest("mark[data-target]") : null;
    if (!m || !tbody) return;
    var tr = tbody.querySelector('tr[data-row="' + m.getAttribute("data-target") + '"]');
    if (tr) { select(tr); if (!tr.hidden) tr.scrollIntoView({block: "nearest"}); }
  });
  function select(tr) {
    rows.forEach(function (r) { r.classList.remove("selected"); });
    tr.classList.add("selected");
  }

  // ---- the outline: collapse / expand all -------------------------------------------------------
  function setAll(open) {
    Array.prototype.forEach.call(document.querySelectorAll("nav.outline details"), function (d) { d.open = open; });
  }
  var bOpen = document.getElementById("expand-all"), bClose = document.getElementById("collapse-all");
  if (bOpen) bOpen.addEventListener("click", function () { setAll(true); });
  if (bClose) bClose.addEventListener("click", function () { setAll(false); });

  // ---- the table: sort and filter ----------------------------------------------------------------
  if (table) {
    var fYear = document.getElementById("f-year"), fUnit = document.getElementById("f-unit");
    var fText = document.getElementById("f-text"), shown = document.getElementById("shown");
    function filter() {
      var y = fYear.value, u = fUnit.value, q = fText.value.trim().toLowerCase(), count = 0;
      rows.forEach(function (tr) {
        var ok = (y === "" || tr.getAttribute("data-year") === y) &&
                 (u === "" || tr.getAttribute("data-unit") === u) &&
                 (q === "" || tr.getAttribute("data-search").toLowerCase().indexOf(q) >= 0);
        tr.hidden = !ok;
        if (ok) count++;
      });
      shown.textContent = String(count);
    }
    fYear.addEventListener("change", filter);
    fUnit.addEventListener("change", filter);
    fText.addEventListener("input", filter);

    var collator = window.Intl ? new Intl.Collator("zh-CN") : null;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        function key(tr) {
          var c = tr.cells[col];
          return c.hasAttribute("data-sort") ? c.getAttribute("data-sort") : c.textContent;
        }
        var sorted = rows.slice().sort(function (a, b) {
          var ka = key(a), kb = key(b), r;
          if (numeric) {
            var na = ka === "" ? Infinity : +ka, nb = kb === "" ? Infinity : +kb;
            r = na < nb ? -1 : na > nb ? 1 : 0;
          } else {
            r = collator ? collator.compare(ka, kb) : (ka < kb ? -1 : ka > kb ? 1 : 0);
          }
          return r * dir || (+a.getAttribute("data-row") - +b.getAttribute("data-row"));
        });
        sorted.forEach(function (tr) { tbody.appendChild(tr); });
      });
    });
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
