/* kg graph explorer. Every string in the data is untrusted article text:
   it is only ever set with textContent or handed to vis as a DOM element,
   never as HTML. */
(function () {
  "use strict";
  var timings = { start: performance.now() };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  timings.parsed = performance.now();
  var nodeInfo = data.info.nodes;
  var edgeInfo = data.info.edges;
  var typeNames = {};
  data.types.forEach(function (t) { typeNames[t.type] = t.name; });
  var MAX_EVIDENCE = 50;

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (className) { e.className = className; }
    return e;
  }

  // vis-network shows a string title as innerText today; a DOM element is
  // safe whatever the version does with strings.
  function tooltip(text) { return el("div", text, "kg-tip"); }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var copy = Object.assign({}, n);
    copy.title = tooltip(n.title);
    return copy;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var copy = Object.assign({}, e);
    copy.title = tooltip(e.title);
    return copy;
  }));
  var container = document.getElementById("kg-network");
  var status = document.getElementById("kg-status");
  var baseStatus = status.textContent;
  timings.datasets = performance.now();
  var kg = window.kg = { data: data, nodes: nodes, edges: edges, ready: false, readyAt: null,
    timings: timings };

  function markReady() {
    if (kg.ready) { return; }
    kg.ready = true;
    kg.readyAt = timings.ready = performance.now();
    status.textContent = baseStatus;
    container.setAttribute("data-ready", "true");
  }

  var network = kg.network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  timings.network = performance.now();
  if (data.physics && data.nodes.length > 0) {
    status.textContent = baseStatus + " · 布局计算中…";
    network.on("stabilizationProgress", function (p) {
      status.textContent = baseStatus + " · 布局计算中 " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      timings.stabilized = performance.now();
      // Stabilised: stop the simulation so the view stays put and costs nothing.
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
    network.redraw();
  }

  // ---- details panel ----------------------------------------------------
  var details = document.getElementById("kg-details");

  function field(dl, name, value) {
    if (value === undefined || value === null || value === "" ||
        (Array.isArray(value) && value.length === 0)) { return; }
    dl.appendChild(el("dt", name));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join("、") : value));
  }

  function evidenceList(evidence) {
    var box = document.createDocumentFragment();
    box.appendChild(el("h2", "证据（" + evidence.length + "）"));
    if (evidence.length === 0) {
      box.appendChild(el("p", "没有记录证据句。", "kg-hint"));
      return box;
    }
    var ul = el("ul", null, "kg-evidence");
    evidence.slice(0, MAX_EVIDENCE).forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("q", ev[0]));
      var source = ev[1] ? "《" + ev[1] + "》" : "";
      if (ev[2]) { source += (source ? " " : "") + ev[2]; }
      if (source) { li.appendChild(el("span", source, "kg-source")); }
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (evidence.length > MAX_EVIDENCE) {
      box.appendChild(el("p", "另有 " + (evidence.length - MAX_EVIDENCE) + " 条未显示。", "kg-hint"));
    }
    return box;
  }

  function showNode(index) {
    var n = nodeInfo[index];
    details.replaceChildren();
    details.appendChild(el("h3", n.label));
    var dl = el("dl");
    field(dl, "类型", typeNames[n.type] || n.type);
    field(dl, "别名", n.aliases);
    field(dl, "角色", n.roles);
    field(dl, "日期", n.date);
    field(dl, "提及", n.count + " 次");
    details.appendChild(dl);
    details.appendChild(el("p", n.iri, "kg-iri"));
    details.appendChild(evidenceList(n.evidence));
    kg.shown = { kind: "node", index: index };
  }

  function showEdge(index) {
    var e = edgeInfo[index];
    details.replaceChildren();
    details.appendChild(el("h3", e.label));
    var dl = el("dl");
    field(dl, "从", nodeInfo[e.source].label);
    field(dl, "到", nodeInfo[e.target].label);
    details.appendChild(dl);
    details.appendChild(el("p", e.predicate, "kg-iri"));
    details.appendChild(evidenceList(e.evidence));
    kg.shown = { kind: "edge", index: index };
  }

  function indexOf(visId) { return parseInt(String(visId).slice(1), 10); }

  network.on("click", function (params) {
    if (params.nodes.length > 0) { showNode(indexOf(params.nodes[0])); }
    else if (params.edges.length > 0) { showEdge(indexOf(params.edges[0])); }
  });

  // ---- filters ----------------------------------------------------------
  var typeBoxes = Array.prototype.slice.call(document.querySelectorAll("input.kg-type"));
  var articleSelect = document.getElementById("kg-article");
  var nodeHidden = nodeInfo.map(function () { return false; });
  var edgeHidden = edgeInfo.map(function () { return false; });

  function applyFilters() {
    var on = {};
    typeBoxes.forEach(function (b) { on[b.value] = b.checked; });
    var article = articleSelect.value;
    var nodeUpdates = [];
    nodeInfo.forEach(function (n, i) {
      var hide = on[n.type] === false || (article !== "" && n.articles.indexOf(article) < 0);
      if (hide !== nodeHidden[i]) { nodeHidden[i] = hide; nodeUpdates.push({ id: "n" + i, hidden: hide }); }
    });
    var edgeUpdates = [];
    edgeInfo.forEach(function (e, i) {
      var hide = nodeHidden[e.source] || nodeHidden[e.target] ||
        (article !== "" && e.articles.length > 0 && e.articles.indexOf(article) < 0);
      if (hide !== edgeHidden[i]) { edgeHidden[i] = hide; edgeUpdates.push({ id: "e" + i, hidden: hide }); }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
  }
  typeBoxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  articleSelect.addEventListener("change", applyFilters);

  function clearFilters() {
    typeBoxes.forEach(function (b) { b.checked = true; });
    articleSelect.value = "";
    applyFilters();
  }

  // ---- search -----------------------------------------------------------
  var results = document.getElementById("kg-results");
  var searchBox = document.getElementById("kg-search");

  function norm(s) { return String(s).trim().toLowerCase(); }

  function rank(n, q) {
    var names = [n.label].concat(n.aliases).map(norm);
    if (names.indexOf(q) >= 0) { return 0; }
    if (names.some(function (s) { return s.indexOf(q) === 0; })) { return 1; }
    if (names.some(function (s) { return s.indexOf(q) >= 0; })) { return 2; }
    return -1;
  }

  function search(text) {
    var q = norm(text);
    if (!q) { return []; }
    var hits = [];
    nodeInfo.forEach(function (n, i) {
      var r = rank(n, q);
      if (r >= 0) { hits.push([r, -n.count, i]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return hits.map(function (h) { return h[2]; });
  }

  function focusNode(index) {
    if (nodeHidden[index]) { clearFilters(); }
    var id = "n" + index;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2),
      animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    showNode(index);
  }

  function runSearch() {
    var found = search(searchBox.value);
    results.replaceChildren();
    if (found.length === 0) {
      if (norm(searchBox.value)) { results.appendChild(el("li", "未找到。", "kg-none")); }
      return;
    }
    found.slice(0, 20).forEach(function (i) {
      var n = nodeInfo[i];
      var b = el("button", n.label + "（" + (typeNames[n.type] || n.type) + "）");
      b.type = "button";
      b.addEventListener("click", function () { focusNode(i); });
      var li = el("li");
      li.appendChild(b);
      results.appendChild(li);
    });
    if (found.length > 20) { results.appendChild(el("li", "共 " + found.length + " 个结果。", "kg-none")); }
    focusNode(found[0]);
  }

  document.getElementById("kg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    runSearch();
  });

  kg.search = search;
  kg.focusNode = focusNode;
  kg.showNode = showNode;
  kg.showEdge = showEdge;
  kg.applyFilters = applyFilters;
})();
