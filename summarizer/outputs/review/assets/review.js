// The review page: the report with every evidence span highlighted, the record beside it, and
// a correct mode whose "Save gold" downloads a gold file (evals/gold.schema.json).
//
// Offsets are Python's: code points, not the UTF-16 units of JavaScript strings. The text is
// held as an array of code points (Array.from), so cps.slice(start, end).join("") is exactly
// Python's text[start:end], non-ASCII and astral characters included. All document and model
// text goes into the page through textContent, never as HTML.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("review-data").textContent);
  const ENUMS = DATA.enums;
  const cps = Array.from(DATA.text || "");
  const hasText = DATA.text !== null;
  const KINDS = [["party", "parties", "k-p"], ["article", "articles", "k-a"], ["condition", "conditions", "k-c"]];
  const agreement = JSON.parse(JSON.stringify(DATA.record.agreement));
  let items = [];
  let selected = null;
  let leastSureFirst = false;
  // Below UNSURE an item is more likely wrong than right; below CHECK worth a second look
  // (the same bounds as the Markdown and terminal views).
  const UNSURE = 0.5, CHECK = 0.8;
  let nextId = 0;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function translatedBadge() {
    const badge = el("span", "badge translated", "tr.");
    badge.title = "The model's English translation; the report's own words are below it.";
    return badge;
  }
  function slice(start, end) { return cps.slice(start, end).join(""); }
  function say(text) { document.getElementById("message").textContent = text; }

  for (const [kind, key] of KINDS) {
    for (const data of DATA.record[key] || []) {
      items.push({ id: "i" + nextId++, kind: kind, data: JSON.parse(JSON.stringify(data)), verdict: null, added: false, edited: false });
    }
  }

  function spans(item) {
    return (item.data.evidence || []).filter(function (e) {
      return Number.isInteger(e.start) && Number.isInteger(e.end) && e.end > e.start && e.end <= cps.length;
    });
  }

  // --- the document ---------------------------------------------------------------------
  function renderDoc() {
    const doc = document.getElementById("doc");
    doc.replaceChildren();
    if (!hasText) {
      doc.appendChild(el("p", "missing", "The report's text was not given (summarizer review RECORD.json --document REPORT.txt); evidence is shown in the panel only."));
      return;
    }
    const cuts = new Set([0, cps.length]);
    for (const item of items) for (const e of spans(item)) { cuts.add(e.start); cuts.add(e.end); }
    const bounds = Array.from(cuts).sort(function (a, b) { return a - b; });
    for (let i = 0; i + 1 < bounds.length; i++) {
      const start = bounds[i], end = bounds[i + 1];
      const seg = el("span", "seg", slice(start, end));
      seg.dataset.start = String(start);
      seg.dataset.end = String(end);
      const covering = [];
      for (const item of items) {
        if (spans(item).some(function (e) { return e.start <= start && end <= e.end; })) {
          covering.push(item.id);
          seg.classList.add(KINDS.find(function (k) { return k[0] === item.kind; })[2]);
        }
      }
      if (covering.length) {
        seg.classList.add("hit");
        seg.dataset.items = covering.join(" ");
        seg.addEventListener("click", function () {
          if (window.getSelection().toString()) return; // selecting words, not clicking
          const ids = seg.dataset.items.split(" ");
          const at = selected ? ids.indexOf(selected) : -1;
          select(ids[(at + 1) % ids.length], false); // repeated clicks cycle through overlaps
        });
      }
      doc.appendChild(seg);
    }
    markSelected();
  }

  function segsOf(item) {
    const found = [];
    for (const seg of document.querySelectorAll("#doc .seg.hit")) {
      if (seg.dataset.items.split(" ").indexOf(item.id) >= 0) found.push(seg);
    }
    return found;
  }

  function markSelected() {
    for (const node of document.querySelectorAll(".selected")) node.classList.remove("selected");
    const item = items.find(function (x) { return x.id === selected; });
    if (!item) return;
    const card = document.getElementById(item.id);
    if (card) card.classList.add("selected");
    for (const seg of segsOf(item)) seg.classList.add("selected");
  }

  function select(id, scrollDoc) {
    selected = id;
    markSelected();
    const item = items.find(function (x) { return x.id === id; });
    const card = document.getElementById(id);
    if (card && !scrollDoc) card.scrollIntoView({ block: "nearest" });
    if (item && scrollDoc) {
      const segs = segsOf(item);
      if (segs.length) {
        segs[0].scrollIntoView({ block: "center" });
        for (const seg of segs) seg.classList.add("flash");
        setTimeout(function () { for (const seg of segs) seg.classList.remove("flash"); }, 1200);
      }
    }
  }

  // --- the panel ------------------------------------------------------------------------
  function options(select, values, current) {
    for (const value of values) {
      const option = el("option", null, value === null ? "(none)" : value);
      option.value = value === null ? "" : value;
      if (value === current) option.selected = true;
      select.appendChild(option);
    }
  }

  function enumField(label, values, get, set, nullable) {
    const wrap = el("label", null, label + " ");
    const box = el("select");
    box.dataset.field = label;
    options(box, nullable ? [null].concat(values) : values, get());
    box.addEventListener("change", function () { set(box.value === "" ? null : box.value); });
    box.addEventListener("click", function (event) { event.stopPropagation(); });
    wrap.appendChild(box);
    return wrap;
  }

  function textField(label, get, set) {
    const wrap = el("label", "text-field", label);
    const input = el("input");
    input.type = "text";
    input.value = get() || "";
    input.dataset.field = label;
    input.addEventListener("change", function () { set(input.value.trim() || null); });
    input.addEventListener("click", function (event) { event.stopPropagation(); });
    wrap.appendChild(input);
    return wrap;
  }

  function edited(item) { return function () { item.edited = true; renderPanel(); }; }

  function sureness(value) {
    if (typeof value !== "number") return "";
    return value < UNSURE ? "unsure" : value < CHECK ? "check" : "sure";
  }

  function confidenceBadge(label, value) {
    const level = sureness(value);
    return el("span", "badge conf " + level, (level === "unsure" ? "unsure " : "") + label + " " + value.toFixed(2));
  }

  function card(item) {
    const d = item.data;
    const level = sureness(d.confidence);
    const node = el("div", "card " + item.kind + (item.verdict ? " " + item.verdict : "") + (level ? " " + level : ""));
    node.id = item.id;
    node.dataset.kind = item.kind;
    if (level) {
      node.dataset.confidence = d.confidence.toFixed(3);
      // The lower the confidence, the stronger the shade behind the card.
      node.style.setProperty("--doubt", String(Math.round((1 - d.confidence) * 100) / 100));
    }
    // A report not in English: the title is the model's English rendering, marked, and the
    // item's own words follow it in their script's direction.
    const english = item.kind === "party" ? null : d.text_en;
    const title = el("div", "title", item.kind === "party" ? d.name : (d.number ? d.number + ". " : "") + (english || d.text));
    // The item's own words (a name, or a term no rendering replaces) in their script's direction.
    if (!english) title.dir = "auto";
    node.appendChild(title);
    if (english) {
      title.appendChild(translatedBadge());
      const original = el("div", "original", d.text);
      original.dir = "auto";
      node.appendChild(original);
    }
    const meta = el("div", "meta");
    if (item.kind === "party") {
      meta.appendChild(el("span", "badge", d.role));
      meta.appendChild(el("span", "badge", d.actor_type));
      meta.appendChild(el("span", "badge " + d.stance, d.stance));
      if (d.aliases && d.aliases.length) meta.appendChild(el("span", null, "aka " + d.aliases.join(", ")));
    } else if (item.kind === "article") {
      for (const c of d.categories) meta.appendChild(el("span", "badge", c));
    } else {
      meta.appendChild(el("span", null, "proposed by " + (d.proposed_by || "?") + " · "));
      meta.appendChild(el("span", "badge", d.outcome));
    }
    const evidence = d.evidence || [];
    if (evidence.length && evidence.every(function (e) { return e.origin === "rule"; })) meta.appendChild(el("span", "badge rule", "by rule"));
    if (item.added) meta.appendChild(el("span", "badge added", "added"));
    if (level) meta.appendChild(confidenceBadge("sure", d.confidence));
    if (item.kind === "party") {
      if (typeof d.stance_confidence === "number") meta.appendChild(confidenceBadge("stance", d.stance_confidence));
      if (typeof d.role_confidence === "number") meta.appendChild(confidenceBadge("role", d.role_confidence));
    }
    if (item.kind === "condition" && typeof d.proposer_confidence === "number") meta.appendChild(confidenceBadge("proposer", d.proposer_confidence));
    node.appendChild(meta);
    for (const e of evidence) {
      const line = el("div", "ev", "\u201c" + e.quote + "\u201d");
      line.dir = "auto";
      if (e.origin === "rule") line.appendChild(el("span", "badge rule", "rule"));
      node.appendChild(line);
    }
    node.appendChild(editor(item));
    node.addEventListener("click", function () { select(item.id, true); });
    return node;
  }

  function editor(item) {
    const d = item.data;
    const box = el("div", "edit");
    const verdict = el("div", "verdict");
    for (const [label, value] of [["right", "right"], ["wrong", "wrong"]]) {
      const button = el("button", null, label);
      button.type = "button";
      button.dataset.verdict = value;
      button.addEventListener("click", function (event) {
        event.stopPropagation();
        item.verdict = item.verdict === value ? null : value;
        renderPanel();
      });
      verdict.appendChild(button);
    }
    box.appendChild(verdict);
    const change = edited(item);
    if (item.kind === "party") {
      box.appendChild(textField("name", function () { return d.name; }, function (v) { if (v) d.name = v; change(); }));
      box.appendChild(textField("aliases (comma-separated)", function () { return d.aliases.join(", "); }, function (v) {
        d.aliases = (v || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean); change();
      }));
      box.appendChild(enumField("role", ENUMS.role, function () { return d.role; }, function (v) { d.role = v; change(); }));
      box.appendChild(enumField("actor_type", ENUMS.actor_type, function () { return d.actor_type; }, function (v) { d.actor_type = v; change(); }));
      box.appendChild(enumField("stance", ENUMS.stance, function () { return d.stance; }, function (v) { d.stance = v; change(); }));
    } else if (item.kind === "article") {
      box.appendChild(textField("text", function () { return d.text; }, function (v) { if (v && v !== d.text) { d.text = v; d.text_en = null; } change(); }));
      box.appendChild(textField("number", function () { return d.number; }, function (v) { d.number = v; change(); }));
      const cats = el("div");
      for (const c of ENUMS.category) {
        const label = el("label", null, " " + c);
        const tick = el("input");
        tick.type = "checkbox";
        tick.checked = d.categories.indexOf(c) >= 0;
        tick.addEventListener("click", function (event) { event.stopPropagation(); });
        tick.addEventListener("change", function () {
          d.categories = ENUMS.category.filter(function (x) { return x === c ? tick.checked : d.categories.indexOf(x) >= 0; });
          change();
        });
        label.prepend(tick);
        cats.appendChild(label);
      }
      box.appendChild(cats);
    } else {
      box.appendChild(textField("text", function () { return d.text; }, function (v) { if (v && v !== d.text) { d.text = v; d.text_en = null; } change(); }));
      const names = items.filter(function (x) { return x.kind === "party" && x.verdict !== "wrong"; }).map(function (x) { return x.data.name; });
      box.appendChild(enumField("proposed_by", names, function () { return d.proposed_by; }, function (v) { d.proposed_by = v; change(); }, true));
      box.appendChild(enumField("outcome", ENUMS.outcome, function () { return d.outcome; }, function (v) { d.outcome = v; change(); }));
    }
    return box;
  }

  function renderAgreement() {
    const table = document.getElementById("fields");
    table.replaceChildren();
    const rows = [["name", "text"], ["date", "text"], ["location", "text"], ["status", ENUMS.status], ["stage", ENUMS.stage], ["agreement_type", ENUMS.agreement_type]];
    for (const [field, kind] of rows) {
      const tr = el("tr");
      tr.appendChild(el("td", null, field));
      const cell = el("td");
      const english = field === "name" ? agreement.name_en : null;
      const shown = el("span", "view", agreement[field] === null ? "\u2014" : (english || agreement[field]));
      if (!english) shown.dir = "auto";
      cell.appendChild(shown);
      if (english && agreement[field] !== null) {
        shown.appendChild(translatedBadge());
        const original = el("div", "original view", agreement[field]);
        original.dir = "auto";
        cell.appendChild(original);
      }
      const sure = agreement[field + "_confidence"];
      if (typeof sure === "number") cell.appendChild(confidenceBadge("sure", sure));
      const edit = el("div", "edit");
      if (kind === "text") {
        edit.appendChild(textField("", function () { return agreement[field]; }, function (v) { if (field === "name" && v !== agreement.name) agreement.name_en = null; agreement[field] = v; renderAgreement(); }));
      } else {
        edit.appendChild(enumField(field, kind, function () { return agreement[field]; }, function (v) { agreement[field] = v; renderAgreement(); }, field !== "status"));
      }
      cell.appendChild(edit);
      tr.appendChild(cell);
      table.appendChild(tr);
    }
  }

  function renderPanel() {
    for (const [kind, key] of KINDS) {
      const list = document.getElementById("list-" + key);
      list.replaceChildren();
      const mine = items.filter(function (x) { return x.kind === kind; });
      if (leastSureFirst) {
        // Items with no confidence (added by hand, or an older record) go last.
        const rank = function (x) { return typeof x.data.confidence === "number" ? x.data.confidence : 2; };
        mine.sort(function (a, b) { return rank(a) - rank(b); });
      }
      document.getElementById("count-" + key).textContent = String(mine.length);
      if (!mine.length) list.appendChild(el("p", "meta", "none"));
      for (const item of mine) list.appendChild(card(item));
    }
    markSelected();
  }

  // --- correct mode: add from a selection -----------------------------------------------
  function pointOffset(node, offset) {
    // The code-point offset in the report of a DOM selection point inside #doc.
    const docNode = document.getElementById("doc");
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = node.parentElement.closest(".seg");
      if (!seg) return null;
      return Number(seg.dataset.start) + Array.from(node.textContent.slice(0, offset)).length;
    }
    if (node === docNode) {
      const child = docNode.childNodes[offset];
      return child ? Number(child.dataset.start) : cps.length;
    }
    const seg = node.closest ? node.closest(".seg") : null;
    if (!seg) return null;
    return offset === 0 ? Number(seg.dataset.start) : Number(seg.dataset.end);
  }

  function selectedSpan() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const docNode = document.getElementById("doc");
    if (!docNode.contains(range.startContainer) || !docNode.contains(range.endContainer)) return null;
    let start = pointOffset(range.startContainer, range.startOffset);
    let end = pointOffset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    // Trim white space at the ends, as a labeller would.
    while (start < end && /\s/u.test(cps[start])) start++;
    while (end > start && /\s/u.test(cps[end - 1])) end--;
    if (end <= start) return null;
    return { quote: slice(start, end), start: start, end: end, alignment: "exact", origin: "model" };
  }

  function add(kind) {
    const evidence = selectedSpan();
    if (!evidence) { say("Select the item's words in the report first."); return; }
    const q = evidence.quote;
    const data = kind === "party"
      ? { name: q, aliases: [], role: "other", actor_type: "other", stance: "unclear", evidence: [evidence] }
      : kind === "article"
        ? { number: null, text: q, categories: ["other"], evidence: [evidence] }
        : { text: q, proposed_by: null, outcome: "unclear", evidence: [evidence] };
    const item = { id: "i" + nextId++, kind: kind, data: data, verdict: "right", added: true, edited: false };
    items.push(item);
    window.getSelection().removeAllRanges();
    renderDoc();
    renderPanel();
    select(item.id, false);
    say("Added " + kind + " \u201c" + q + "\u201d (" + evidence.start + "\u2013" + evidence.end + ").");
  }

  function addEvidence() {
    const item = items.find(function (x) { return x.id === selected; });
    const evidence = selectedSpan();
    if (!item || !evidence) { say("Select an item, then its words in the report."); return; }
    item.data.evidence.push(evidence);
    item.edited = true;
    window.getSelection().removeAllRanges();
    renderDoc();
    renderPanel();
    select(item.id, false);
  }

  // --- save gold --------------------------------------------------------------------------
  function clip(quote) {
    // Gold quotes are at most 200 characters: cut at a word, so it stays a substring.
    const chars = Array.from(quote);
    if (chars.length <= 200) return quote;
    const head = chars.slice(0, 200).join("");
    const cut = head.lastIndexOf(" ");
    return (cut > 40 ? head.slice(0, cut) : head).trim();
  }

  function goldEvidence(evidence) {
    return evidence.map(function (e) { return { quote: clip(e.quote) }; });
  }

  function derivedTests(kept) {
    const tests = [];
    const parties = kept.filter(function (x) { return x.kind === "party"; }).map(function (x) { return x.data; });
    for (const stance of ["accepts", "rejects", "conditional", "withdrew"]) {
      if (parties.some(function (p) { return p.stance === stance; })) tests.push(stance);
    }
    for (const role of ["guarantor", "mediator", "witness"]) {
      if (parties.some(function (p) { return p.role === role; })) tests.push(role);
    }
    if (agreement.status === "collapsed") tests.push("collapsed");
    if (agreement.status === "proposed") tests.push("proposal only");
    if (agreement.date && agreement.date.length === 10) tests.push("full date");
    if (agreement.date && agreement.date.length === 7) tests.push("month date");
    if (kept.some(function (x) { return x.kind === "article" && x.data.number; })) tests.push("numbered terms");
    if (!kept.length) tests.push("no agreement");
    if (/[^\x00-\x7f]/.test(DATA.text || "")) tests.push("non-ASCII");
    if (!tests.length) tests.push("scattered terms");
    return tests;
  }

  function gold() {
    const kept = items.filter(function (x) { return x.verdict !== "wrong"; });
    const wrong = items.filter(function (x) { return x.verdict === "wrong"; });
    const lower = (DATA.text || "").toLowerCase();
    const missing = kept.filter(function (x) { return !(x.data.evidence || []).length; });
    if (missing.length) {
      throw new Error("Every item needs evidence: select its words and press \u201cAdd evidence\u201d for " +
        missing.map(function (x) { return x.data.name || x.data.text; }).join(", ") + ".");
    }
    const partyNames = kept.filter(function (x) { return x.kind === "party"; }).map(function (x) { return x.data.name; });
    const byKind = function (kind) { return kept.filter(function (x) { return x.kind === kind; }).map(function (x) { return x.data; }); };
    return {
      document: DATA.gold_document,
      tests: derivedTests(kept),
      agreement: {
        name: agreement.name, date: agreement.date, location: agreement.location,
        status: agreement.status, stage: agreement.stage, agreement_type: agreement.agreement_type,
      },
      parties: byKind("party").map(function (p) {
        const aliases = [];
        for (const a of p.aliases) if (lower.indexOf(a.toLowerCase()) >= 0 && aliases.indexOf(a) < 0 && a !== p.name) aliases.push(a);
        return { name: p.name, aliases: aliases, role: p.role, actor_type: p.actor_type, stance: p.stance, evidence: goldEvidence(p.evidence) };
      }),
      articles: byKind("article").map(function (a) {
        return { number: a.number || null, text: a.text, categories: a.categories.length ? a.categories : ["other"], evidence: goldEvidence(a.evidence) };
      }),
      conditions: byKind("condition").map(function (c) {
        return { text: c.text, proposed_by: partyNames.indexOf(c.proposed_by) >= 0 ? c.proposed_by : null, outcome: c.outcome, evidence: goldEvidence(c.evidence) };
      }),
      must_not_appear: wrong.map(function (x) { return { kind: x.kind, text: x.kind === "party" ? x.data.name : x.data.text }; }),
      notes: "Reviewed on the review page from the record of " + DATA.record.provenance.model +
        " (source sha256 " + DATA.record.provenance.source_sha256.slice(0, 12) + "): " +
        items.filter(function (x) { return x.verdict === "right"; }).length + " marked right, " +
        wrong.length + " wrong, " + items.filter(function (x) { return x.added; }).length + " added, " +
        items.filter(function (x) { return x.edited; }).length + " edited.",
    };
  }

  function saveGold() {
    let file;
    try { file = gold(); } catch (error) { say(error.message); return; }
    const blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    const link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = DATA.gold_document.replace(/\.txt$/, "") + ".gold.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    say("Saved " + link.download + ". File it with: summarizer review --import " + link.download + " --into evals/gold/dev --document REPORT.txt");
  }

  // --- wiring -----------------------------------------------------------------------------
  document.getElementById("toggle-correct").addEventListener("click", function () {
    const on = document.body.classList.toggle("correcting");
    this.textContent = on ? "Done correcting" : "Correct";
  });
  document.getElementById("order-unsure").addEventListener("click", function () {
    leastSureFirst = !leastSureFirst;
    this.textContent = leastSureFirst ? "Record order" : "Least sure first";
    renderPanel();
  });
  document.getElementById("add-party").addEventListener("click", function () { add("party"); });
  document.getElementById("add-article").addEventListener("click", function () { add("article"); });
  document.getElementById("add-condition").addEventListener("click", function () { add("condition"); });
  document.getElementById("add-evidence").addEventListener("click", addEvidence);
  document.getElementById("save-gold").addEventListener("click", saveGold);
  // Buttons must not take the selection away before they read it.
  for (const button of document.querySelectorAll(".toolbar button")) {
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
  }
  renderAgreement();
  renderDoc();
  renderPanel();
  document.body.dataset.ready = "1";
})();
