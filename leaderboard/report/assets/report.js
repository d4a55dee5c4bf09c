// The report's behaviour: sortable tables and the probe toggle on the index, the examples of a run page and of a
// diff page, rendered from the data files (data/<run>.js) the page loads with <script src>.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var registry = function () { return window.UB_RUN_DATA || {}; };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function hashParams() {
    var out = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var pair = part.split("=");
      if (pair[0]) out[decodeURIComponent(pair[0])] = decodeURIComponent(pair[1] || "");
    });
    return out;
  }

  // ------------------------------------------------------------------------------------------- index: sorting
  function sortTable(table, column, header) {
    var body = table.tBodies[0];
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = !header.classList.contains("sorted-asc");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.classList.remove("sorted-asc", "sorted-desc");
    });
    header.classList.add(ascending ? "sorted-asc" : "sorted-desc");
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, index) {
      var raw = row.cells[column] ? row.cells[column].getAttribute("data-sort") : "";
      return { row: row, index: index, missing: raw === "" || raw === null,
               key: numeric ? parseFloat(raw) : (raw || "").toLowerCase() };
    });
    keyed.sort(function (a, b) {
      if (a.missing !== b.missing) return a.missing ? 1 : -1;  // missing values last either way
      if (a.key < b.key) return ascending ? -1 : 1;
      if (a.key > b.key) return ascending ? 1 : -1;
      return a.index - b.index;
    });
    keyed.forEach(function (item) { body.appendChild(item.row); });
  }

  function setUpIndex() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
        header.addEventListener("click", function () { sortTable(table, column, header); });
      });
    });
    var toggle = document.getElementById("toggle-probes");
    if (toggle) toggle.addEventListener("click", function () {
      var shown = document.body.classList.toggle("show-probes");
      toggle.setAttribute("aria-pressed", shown ? "true" : "false");
      toggle.textContent = shown ? "hide robustness probes" : "show robustness probes";
    });
    Array.prototype.forEach.call(document.querySelectorAll("form.compare"), function (form) {
      form.querySelector(".compare-go").addEventListener("click", function () {
        window.location.href = "diff.html#a=" + encodeURIComponent(form.a.value) +
          "&b=" + encodeURIComponent(form.b.value);
      });
    });
  }

  // ---------------------------------------------------------------------------------------- shared: examples
  function splitButtons(splits, current, onPick) {
    var holder = document.getElementById("split-buttons");
    holder.textContent = "";
    splits.forEach(function (split) {
      var button = el("button", split === current ? "active" : "", split);
      button.type = "button";
      button.setAttribute("data-split", split);
      button.addEventListener("click", function () { onPick(split); });
      holder.appendChild(button);
    });
  }

  function formatScore(value) { return value === null || value === undefined ? "–" : String(value); }

  function textBlock(title, text, className) {
    var box = el("div", className || "");
    box.appendChild(el("b", "", title));
    var missing = text === null || text === undefined;
    box.appendChild(document.createTextNode(missing ? "(not recorded in the result file)" : text));
    return box;
  }

  function orderedSplits(data) {
    var order = ["forget", "unseen", "normal"];
    return Object.keys(data.splits).sort(function (a, b) {
      var ia = order.indexOf(a), ib = order.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  // ------------------------------------------------------------------------------------------------ run page
  function runExamples(data, original, split) {
    var mine = data.splits[split] || {}, theirs = (original && original.splits[split]) || {};
    var verdict = mine.verdict;
    return (mine.outputs || []).map(function (output, index) {
      var scores = {}, originalScores = {};
      Object.keys(mine.scores || {}).forEach(function (name) { scores[name] = mine.scores[name][index]; });
      Object.keys(theirs.scores || {}).forEach(function (name) { originalScores[name] = theirs.scores[name][index]; });
      var before = verdict ? originalScores[verdict] : undefined, after = verdict ? scores[verdict] : undefined;
      var known = before !== undefined && before !== null && after !== undefined && after !== null;
      return { index: index, prompt: (mine.prompts || [])[index], output: output,
               original: theirs.outputs ? theirs.outputs[index] : undefined,
               scores: scores, originalScores: originalScores, changed: known ? before !== after : null };
    });
  }

  function worstFirst(rows, metric, direction) {
    if (!metric) return rows.slice();
    var sign = direction === "higher" ? 1 : -1;
    return rows.slice().sort(function (a, b) {
      var va = a.scores[metric], vb = b.scores[metric];
      var ma = va === null || va === undefined, mb = vb === null || vb === undefined;
      if (ma !== mb) return ma ? 1 : -1;
      return (sign * (va || 0) - sign * (vb || 0)) || (a.index - b.index);
    });
  }

  function renderRun(data, original) {
    var params = hashParams();
    var splits = orderedSplits(data);
    var state = { split: splits.indexOf(params.split) >= 0 ? params.split : splits[0], metric: params.metric || "" };
    var attacked = data.robustness_outputs || {};

    function draw() {
      var view = document.querySelector("input[name=view]:checked").value;
      var mine = data.splits[state.split];
      var metric = state.metric && mine.scores[state.metric] ? state.metric : mine.ranking;
      var rows = runExamples(data, original, state.split);
      if (view === "worst") rows = worstFirst(rows, mine.ranking, mine.ranking_direction);
      if (view === "changed") rows = rows.filter(function (r) { return r.changed === true; });
      var holder = document.getElementById("examples");
      holder.textContent = "";
      var counted = 0;
      rows.forEach(function (row) {
        var box = el("div", "example");
        box.id = "ex-" + state.split + "-" + row.index;
        box.setAttribute("data-index", row.index);
        var value = metric ? row.scores[metric] : null;
        if (metric && value === 1) { box.classList.add("counted"); counted += 1; }
        box.setAttribute("data-counted", metric && value === 1 ? "1" : "0");
        if (row.changed) box.classList.add("changed");
        box.appendChild(el("div", "head", "#" + row.index + (row.changed ? " · verdict changed" : "")));
        var texts = el("div", "texts");
        texts.appendChild(textBlock("prompt", row.prompt));
        texts.appendChild(textBlock("original output", row.original));
        texts.appendChild(textBlock("unlearned output", row.output));
        box.appendChild(texts);
        var scores = el("div", "scores");
        Object.keys(row.scores).sort().forEach(function (name) {
          var span = el("span", name === mine.verdict ? "verdict" : "",
                        name + ": " + formatScore(row.originalScores[name]) + " → " + formatScore(row.scores[name]));
          span.setAttribute("data-metric", name);
          span.setAttribute("data-value", formatScore(row.scores[name]));
          scores.appendChild(span);
        });
        box.appendChild(scores);
        Object.keys(attacked).sort().forEach(function (attack) {
          var texts = (attacked[attack] || {})[state.split];
          if (texts && texts[row.index] !== undefined && texts[row.index] !== null) {  // null: not asked
            box.appendChild(textBlock("after " + attack, texts[row.index], "attacked"));
          }
        });
        holder.appendChild(box);
      });
      var total = (mine.outputs || []).length;
      var summary = state.split + ": " + rows.length + " of " + total + " examples shown";
      if (metric) summary += "; " + metric + " = " + formatScore(mine.metrics[metric]) +
        (mine.verdict === metric ? ", " + counted + " shown examples count (value 1, marked red)" : "");
      if (view === "worst") summary += "; worst first by " + mine.ranking;
      if (view === "changed") summary += "; verdict (" + (mine.verdict || "none") + ") changed from the original's";
      document.getElementById("summary").textContent = summary;
      splitButtons(splits, state.split, function (split) { state.split = split; state.metric = ""; draw(); });
    }

    Array.prototype.forEach.call(document.querySelectorAll("input[name=view]"), function (input) {
      input.addEventListener("change", draw);
    });
    draw();
  }

  function setUpRun() {
    var data = registry()[document.body.getAttribute("data-run")];
    var originalId = document.body.getAttribute("data-original");
    if (!data) { document.getElementById("summary").textContent = "the data file of this run is missing"; return; }
    renderRun(data, originalId ? registry()[originalId] : null);
  }

  // ----------------------------------------------------------------------------------------------- diff page
  function load(ids, done) {
    var pending = ids.filter(function (id) { return !registry()[id]; });
    if (!pending.length) return done();
    var left = pending.length;
    pending.forEach(function (id) {
      var script = document.createElement("script");
      script.src = root + "data/" + encodeURIComponent(id) + ".js";
      script.onload = function () { left -= 1; if (!left) done(); };
      script.onerror = function () { document.getElementById("summary").textContent = "no data file for run " + id; };
      document.body.appendChild(script);
    });
  }

  function renderDiff(a, b) {
    document.getElementById("diff-title").textContent = a.task + ": " + a.method + " seed " + a.seed + " vs " +
      b.method + " seed " + b.seed;
    var splits = orderedSplits(a).filter(function (s) { return b.splits[s]; });
    var state = { split: splits[0] };
    function draw() {
      var only = document.getElementById("only-different").checked;
      var sa = a.splits[state.split], sb = b.splits[state.split];
      var holder = document.getElementById("examples");
      holder.textContent = "";
      var shown = 0, differing = 0;
      (sa.outputs || []).forEach(function (output, index) {
        var other = (sb.outputs || [])[index];
        var differs = output !== other;
        if (differs) differing += 1;
        if (only && !differs) return;
        shown += 1;
        var box = el("div", "example" + (differs ? " differs-box" : ""));
        box.id = "ex-" + state.split + "-" + index;
        box.appendChild(el("div", "head", "#" + index + (differs ? " · outputs differ" : " · same output")));
        var texts = el("div", "texts");
        texts.appendChild(textBlock("prompt", (sa.prompts || [])[index]));
        texts.appendChild(textBlock(a.method + " seed " + a.seed, output, differs ? "differs" : ""));
        texts.appendChild(textBlock(b.method + " seed " + b.seed, other, differs ? "differs" : ""));
        box.appendChild(texts);
        var scores = el("div", "scores");
        Object.keys(sa.scores || {}).sort().forEach(function (name) {
          var va = sa.scores[name][index], vb = ((sb.scores || {})[name] || [])[index];
          var text = name + ": " + formatScore(va) + " | " + formatScore(vb);
          scores.appendChild(el("span", va !== vb ? "differs" : "", text));
        });
        box.appendChild(scores);
        holder.appendChild(box);
      });
      document.getElementById("summary").textContent = state.split + ": " + differing + " of " +
        (sa.outputs || []).length + " outputs differ; " + shown + " shown";
      splitButtons(splits, state.split, function (split) { state.split = split; draw(); });
    }
    document.getElementById("only-different").addEventListener("change", draw);
    draw();
  }

  function setUpDiff() {
    var params = hashParams();
    if (!params.a || !params.b) {
      document.getElementById("summary").textContent = "pick two runs on the index";
      return;
    }
    load([params.a, params.b], function () { renderDiff(registry()[params.a], registry()[params.b]); });
  }

  var page = document.body.getAttribute("data-page");
  if (page === "index") setUpIndex();
  if (page === "run") setUpRun();
  if (page === "diff") {
    setUpDiff();
    window.addEventListener("hashchange", function () { window.location.reload(); });
  }
})();
