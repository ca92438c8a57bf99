// netlab ui: the lab's diagram (Graphviz's SVG, laid out as `netlab graph` does), its live state from
// server-sent events, traces drawn on the diagram hop by hop, the reachability matrix and rule counters.
// Plain DOM and SVG: no framework, no build step. Text from the server is set as text, never as markup.
"use strict";

const $ = (selector) => document.querySelector(selector);
let lab = null;            // /api/lab: the diagram and the lab's members
let boxes = new Map();     // box or group id → its <g> in the SVG
let picked = null;         // the source chosen by a click
let animation = null;

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  const text = await response.text();
  let data = null;
  try { data = JSON.parse(text); } catch { /* a proxy's or the server's plain-text error */ }
  if (!response.ok) throw new Error((data && data.error) || text || response.statusText);
  return data;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// -- the diagram -------------------------------------------------------------------------------------------

async function loadDiagram() {
  lab = await api("/api/lab");
  $("#title").textContent = lab.title;
  $("#mode").textContent = lab.live ? "live" : "file: predictions only";
  $("#mode").className = "badge" + (lab.live ? " live" : "");
  const doc = new DOMParser().parseFromString(lab.svg, "image/svg+xml");
  const svg = document.importNode(doc.documentElement, true);
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  $("#diagram").replaceChildren(svg);
  boxes = new Map();
  for (const g of svg.querySelectorAll("g.node, g.cluster")) {
    const id = g.querySelector("title").textContent.replace(/^cluster_/, "");
    g.dataset.box = id;
    g.dataset.title = g.querySelector("title").textContent;
    boxes.set(id, g);
    if (g.classList.contains("node")) g.addEventListener("click", () => clicked(id));
  }
  const names = [...lab.sources, ...lab.services.map((s) => s.name)];
  $("#members").replaceChildren(...names.map((n) => el("option", {value: n})));
  $("#counters-member").replaceChildren(...lab.counted.map((n) => el("option", {value: n, text: n})));
  if (!$("#matrix-port").value && lab.ports.length) $("#matrix-port").value = lab.ports.includes(80) ? 80 : lab.ports[0];
  document.body.dataset.version = lab.version;
}

function memberOf(id) {
  // A box is a member itself (a pod, a host), a Service, or a node's interface (the node is the member).
  const box = lab.boxes[id];
  if (box && box.kind === "service") return {name: box.lines[0].replace(/^svc /, ""), service: true};
  const members = Object.entries(lab.members);
  const own = members.find(([, owner]) => owner === id) || members.find(([, owner]) => box && owner === box.group);
  return own ? {name: own[0], service: false} : null;
}

function served(member) {
  // [port, protocol] to trace to: a Service's first port, or what the pod's first server serves (udp:53 → udp).
  if (member.service) {
    const ports = lab.services.find((s) => s.name === member.name).ports;
    return ports.length ? [ports[0], null] : [null, null];
  }
  const serves = (lab.boxes[lab.members[member.name]] || {lines: []}).lines.find((l) => l.startsWith("serves "));
  if (!serves) return [null, null];
  const [kind, port] = serves.replace("serves ", "").split(":");
  return [port, kind === "udp" ? "udp" : null];
}

function clicked(id) {
  const member = memberOf(id);
  if (!member) return;
  if (picked === null) {
    if (member.service) return;
    picked = member.name;
    clearTrace();
    boxes.get(id).classList.add("source");
    $("#trace-input").value = picked + " → ";
    return;
  }
  const [port, proto] = served(member);
  const target = member.name + (port ? ":" + port : "");
  $("#trace-input").value = `${picked} → ${target}`;
  const source = picked;
  picked = null;
  runTrace(source, target, $("#trace-proto").value || proto);
}

// -- a trace, drawn ----------------------------------------------------------------------------------------

function parseTrace(text) {
  const parts = text.split(/\s*(?:→|->|\s)\s*/).filter(Boolean);
  return parts.length === 2 ? parts : null;
}

async function runTrace(source, target, proto) {
  const clickedAt = performance.now();
  $("#trace-out").replaceChildren(el("p", {text: `tracing ${source} → ${target} …`}));
  try {
    const data = await api("/api/trace", {source, target, proto});
    showTrace(data);
    document.body.dataset.traceMs = Math.round(performance.now() - clickedAt);
  } catch (e) {
    $("#trace-out").replaceChildren(el("p", {class: "error", text: e.message}));
  }
}

function clearTrace() {
  if (animation) clearInterval(animation);
  animation = null;
  document.querySelectorAll(".trace-layer").forEach((n) => n.remove());
  document.querySelectorAll("g.on-path, g.source").forEach((n) => n.classList.remove("on-path", "source"));
}

function centre(id) {
  const box = boxes.get(id).getBBox();
  return [box.x + box.width / 2, box.y + box.height / 2];
}

function pathOf(ids) {
  // Consecutive hops on one box (a bridge's ports, a pod's in and out) are one stop on the picture.
  const stops = [];
  for (const id of ids) if (id && boxes.has(id) && stops[stops.length - 1] !== id) stops.push(id);
  return stops;
}

function drawPath(layer, stops, kind, offset) {
  for (let i = 1; i < stops.length; i++) {
    const [x1, y1] = centre(stops[i - 1]), [x2, y2] = centre(stops[i]);
    layer.append(svgEl("line", {x1: x1 + offset, y1: y1 + offset, x2: x2 + offset, y2: y2 + offset,
                                class: kind, "marker-end": "url(#arrow-" + kind + ")"}));
  }
}

function showTrace(data) {
  clearTrace();
  const graph = $("#diagram svg g.graph");
  const layer = svgEl("g", {class: "trace-layer"});
  layer.innerHTML = '<defs><marker id="arrow-forward" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" ' +
    'markerHeight="5" orient="auto"><path d="M0,0L10,5L0,10z" fill="#db2777"/></marker><marker id="arrow-reply" ' +
    'viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0L10,5L0,10z" ' +
    'fill="#2563eb"/></marker></defs>';
  graph.append(layer);
  const out = [];
  const order = [];  // every hop of every leg, in the order the packet crossed them: the animation's steps
  data.legs.forEach((leg, n) => {
    const forward = leg.hops.map((h, i) => h.reply ? null : leg.boxes[i]);
    const reply = leg.hops.map((h, i) => h.reply ? leg.boxes[i] : null);
    drawPath(layer, pathOf(forward), "forward", 0);
    drawPath(layer, pathOf(reply), "reply", 6);
    pathOf(leg.boxes).forEach((id) => boxes.get(id).classList.add("on-path"));
    const stops = pathOf(forward);
    stops.forEach((id, i) => {
      const [x, y] = centre(id);
      const bx = boxes.get(id).getBBox();
      const dot = svgEl("circle", {cx: bx.x + 2, cy: bx.y + 2, r: 9, class: "badge-dot"});
      const label = svgEl("text", {x: bx.x + 2, y: bx.y + 6, "text-anchor": "middle"});
      label.textContent = String(i + 1);
      layer.append(dot, label);
      if (i === stops.length - 1) {
        const ok = leg.verdict.status === "delivered";
        layer.append(svgEl("circle", {cx: x, cy: y, r: 7, class: "end " + (ok ? "delivered" : "stopped")}));
      }
    });
    leg.hops.forEach((h, i) => order.push([n, i, leg.boxes[i]]));
    out.push(legView(leg, n));
  });
  if (data.service && boxes.has(data.service)) boxes.get(data.service).classList.add("on-path");
  out.push(el("p", {class: "predicted", text: `traced in ${Math.round(data.seconds * 1000)} ms`}));
  $("#trace-out").replaceChildren(...out);
  animate(layer, order);
}

function animate(layer, order) {
  // A packet moves along the hops one by one, and the hop's row lights up beside it.
  const packet = svgEl("circle", {r: 8, class: "packet"});
  layer.append(packet);
  let step = 0;
  animation = setInterval(() => {
    document.querySelectorAll("tr.hop.current").forEach((r) => r.classList.remove("current"));
    if (step >= order.length) { clearInterval(animation); animation = null; packet.remove(); return; }
    const [leg, i, id] = order[step++];
    const row = document.getElementById(`hop-${leg}-${i}`);
    if (row) row.classList.add("current");
    if (id && boxes.has(id)) {
      const [x, y] = centre(id);
      packet.setAttribute("cx", x);
      packet.setAttribute("cy", y);
    }
  }, 350);
}

function tupleText(p) {
  if (p.proto === "icmp") return `${p.src} → ${p.dst} icmp ${p.flags || ""}`;
  const sport = p.sport === null ? "*" : p.sport, dport = p.dport === null ? "*" : p.dport;
  return `${p.src}:${sport} → ${p.dst}:${dport} ${p.proto}` + (p.flags ? ` [${p.flags}]` : "");
}

function eventsCell(events) {
  const cell = el("td");
  for (const e of events) {
    const line = el("div", {class: "ev-" + e.kind, text: e.text});
    if (e.rule && !e.text.includes(e.rule.chain)) line.append(el("span", {class: "rule", text: `  (${e.rule.table}/${e.rule.chain})`}));
    if (e.rule) line.title = e.rule.text;
    cell.append(line);
  }
  return cell;
}

function legView(leg, n) {
  const v = leg.verdict;
  const parts = [];
  if (n > 0) parts.push(el("h3", {text: `then: ${leg.source} → ${leg.target}`}));
  for (const step of leg.lookup || []) {
    parts.push(el("div", {class: "mono", text: `DNS ${step.type} ${step.name} @${step.server}: ${step.rcode} ${step.answers.join(", ")}`}));
  }
  const verdict = el("div", {class: "verdict " + v.status, text: v.text});
  if (v.rule) verdict.append(el("div", {class: "rule", text: `${v.rule.table}/${v.rule.chain}: ${v.rule.text}`}));
  parts.push(verdict);
  const rows = leg.hops.map((h, i) => {
    const row = el("tr", {class: "hop" + (h.reply ? " reply" : ""), id: `hop-${n}-${i}`},
      el("td", {class: "num", text: String(i + 1)}),
      el("td", {text: `${h.netns} ${h.interface} ${h.direction}`}),
      el("td", {class: "mono", text: tupleText(h.packet) + (h.packet.outer ? `\n${outerText(h.packet.outer)}` : "")}),
      eventsCell(h.events));
    return row;
  });
  parts.push(el("table", {class: "hops"},
    el("thead", {}, el("tr", {}, el("th", {text: "#"}), el("th", {text: "where"}), el("th", {text: "packet"}),
                   el("th", {text: "what happened"}))),
    el("tbody", {}, ...rows)));
  if (leg.departures && leg.departures.length) {
    parts.push(el("div", {class: "departures", text: "where the kernel and the model part:"}));
    for (const d of leg.departures) parts.push(el("div", {class: "departures", text: "• " + d}));
  } else if (leg.departures) {
    parts.push(el("div", {class: "predicted", text: "the model predicted this path, hop for hop"}));
  }
  if (leg.predicted && leg.kind === "observed") {
    const p = leg.predicted;
    const details = el("details", {}, el("summary", {text: `the model's prediction: ${p.verdict.text}`}));
    details.append(el("table", {class: "predicted"}, el("tbody", {}, ...p.hops.map((h, i) => el("tr", {},
      el("td", {class: "num", text: String(i + 1)}), el("td", {text: `${h.netns} ${h.interface} ${h.direction}`}),
      el("td", {class: "mono", text: tupleText(h.packet)}), eventsCell(h.events))))));
    parts.push(details);
  }
  for (const line of leg.policy || []) parts.push(el("div", {class: "mono", text: line}));
  if (leg.proxy) {
    parts.push(el("div", {text: leg.proxy.who + ":"}));
    for (const line of leg.proxy.decision) parts.push(el("div", {class: "mono", text: "  " + line}));
  }
  for (const note of leg.notes || []) parts.push(el("div", {class: "predicted", text: "note: " + note}));
  return el("div", {class: "leg"}, ...parts);
}

function outerText(o) {
  return o.kind === "ipip" ? `IPIP ${o.src} → ${o.dst}` : `VXLAN ${o.src} → ${o.dst}:${o.dport} vni ${o.vni}`;
}

// -- the reachability matrix --------------------------------------------------------------------------------

async function runMatrix() {
  const port = $("#matrix-port").value.trim() || null;
  const proto = $("#matrix-proto").value || null;
  $("#matrix-out").replaceChildren(el("p", {text: "probing every pair …"}));
  try {
    const m = await api("/api/matrix", {port, proto});
    const byPair = new Map(m.cells.map((c) => [c.from + "\n" + c.to, c]));
    const head = el("tr", {}, el("th", {text: "from \\ to"}), ...m.columns.map((c) => el("th", {class: "col", text: c})));
    const rows = m.rows.map((r) => el("tr", {}, el("th", {text: r}), ...m.columns.map((c) => {
      const cell = byPair.get(r + "\n" + c);
      if (!cell) return el("td", {class: "cell self"});
      const td = el("td", {class: "cell " + (cell.reachable ? "yes" : "no"), text: cell.reachable ? "✓" : "✗",
                           title: `${r} → ${c}: ${cell.detail}`, "data-from": r, "data-to": c});
      td.addEventListener("click", () => {
        showTab("trace");
        const target = c + (m.proto !== "icmp" && m.port ? ":" + m.port : "");
        $("#trace-input").value = `${r} → ${target}`;
        runTrace(r, target, m.proto);
      });
      return td;
    })));
    const what = m.predicted ? "predicted from the plan" : "probed";
    $("#matrix-out").replaceChildren(
      el("p", {text: `${m.proto}${m.port ? " port " + m.port : ""}: ${what} in ${m.seconds} s; click a cell for its trace`}),
      el("table", {class: "matrix"}, el("thead", {}, head), el("tbody", {}, ...rows)));
  } catch (e) {
    $("#matrix-out").replaceChildren(el("p", {class: "error", text: e.message}));
  }
}

// -- rule counters ------------------------------------------------------------------------------------------

let lastCounts = new Map();

async function refreshCounters() {
  const member = $("#counters-member").value;
  if (!lab || !member || !lab.live) {
    $("#counters-out").replaceChildren(el("p", {text: "rule counters need a lab that is up"}));
    return;
  }
  try {
    const data = await api("/api/counters?member=" + encodeURIComponent(member));
    const filter = $("#counters-filter").value.trim();
    const out = [];
    const counts = new Map();
    for (const table of data.tables) {
      out.push(el("h3", {text: `${table.tool}: ${table.name}`}));
      for (const chain of table.chains) {
        if (filter && !chain.name.includes(filter)) continue;
        const policy = chain.policy ? ` (policy ${chain.policy}${chain.packets !== null ? ` ${chain.packets} packets` : ""})` : "";
        out.push(el("div", {class: "chain", text: `Chain ${chain.name}${policy}`}));
        const rows = chain.rules.map((rule, i) => {
          const key = `${table.tool} ${table.name} ${chain.name} ${i} ${rule.text}`;
          counts.set(key, rule.packets);
          const before = lastCounts.get(key);
          return el("tr", {class: before !== undefined && before !== rule.packets ? "changed" : ""},
            el("td", {class: "num", text: rule.packets === null ? "" : String(rule.packets)}),
            el("td", {class: "num", text: rule.bytes === null ? "" : String(rule.bytes)}),
            el("td", {class: "mono", text: rule.text}));
        });
        out.push(el("table", {class: "counters"}, el("thead", {}, el("tr", {}, el("th", {text: "pkts"}),
          el("th", {text: "bytes"}), el("th", {text: "rule"}))), el("tbody", {}, ...rows)));
      }
    }
    lastCounts = counts;
    $("#counters-out").replaceChildren(...out);
  } catch (e) {
    $("#counters-out").replaceChildren(el("p", {class: "error", text: e.message}));
  }
}

// -- live state ---------------------------------------------------------------------------------------------

function showState(s) {
  if (s.error) {
    $("#summary").replaceChildren(el("span", {class: "bad", text: s.error}));
    return;
  }
  if (lab && s.version !== lab.version) {
    // The plan changed (netlab apply): draw it again; the next state event marks it (no loop if it changes twice).
    loadDiagram().then(() => { if (lab.version === s.version) showState(s); })
      .catch((e) => $("#summary").replaceChildren(el("span", {class: "bad", text: e.message})));
    return;
  }
  for (const g of boxes.values()) {
    g.classList.remove("mark-dead", "mark-drift", "mark-fault");
    g.querySelector("title").textContent = g.dataset.title;
  }
  const lines = [];
  if (!s.live) {
    $("#summary").textContent = "a topology file: the diagram and the model's predictions (no packets, no root)";
    $("#status-out").replaceChildren(el("p", {text: "not a lab that is up: nothing live to show"}));
    document.body.dataset.state = "shown";
    return;
  }
  for (const [id, marks] of Object.entries(s.marks)) {
    const g = boxes.get(id);
    if (!g) continue;
    for (const m of marks) g.classList.add("mark-" + m.level);
    g.querySelector("title").textContent = [g.dataset.box, ...marks.map((m) => m.text)].join("\n");
  }
  const dead = s.daemons.filter((d) => !d.running);
  const summary = [el("span", {text: s.ready ? "up" : "incomplete"})];
  if (s.applying) summary.push(el("span", {class: "warn", text: " · apply in progress"}));
  if (s.rollouts.length) summary.push(el("span", {class: "warn", text: ` · rolling out ${s.rollouts.map((r) => r.name).join(", ")}`}));
  summary.push(el("span", {class: dead.length ? "bad" : "", text: ` · ${s.daemons.length - dead.length}/${s.daemons.length} daemons`}));
  if (s.drift.length) summary.push(el("span", {class: "warn", text: ` · ${s.drift.length} drift`}));
  if (s.faults.length) summary.push(el("span", {class: "bad", text: ` · ${s.faults.length} fault(s)`}));
  $("#summary").replaceChildren(...summary);
  lines.push(el("h3", {text: "Drift (what differs from the plan)"}),
    ...(s.drift.length ? s.drift.map((d) => el("div", {class: "mono", text: d})) : [el("div", {text: s.checked ? "none" : "not checked (an exercise)"})]));
  lines.push(el("h3", {text: "Faults applied"}),
    ...(s.faults.length ? s.faults.map((f) => el("div", {text: `${f.kind} ${f.target}: ${f.detail}`})) : [el("div", {text: "none"})]));
  lines.push(el("h3", {text: "Rollouts"}),
    ...(s.rollouts.length ? s.rollouts.map((r) => el("div", {text: `${r.kind} ${r.name}: ${r.ready}/${r.desired} ready, ${r.up_to_date} up to date, ${r.total} pods`})) : [el("div", {text: "none in progress"})]));
  lines.push(el("h3", {text: "Daemons"}), el("table", {}, el("tbody", {}, ...s.daemons.map((d) => el("tr", {},
    el("td", {text: d.name}), el("td", {text: d.member || ""}), el("td", {class: d.running ? "" : "error", text: d.running ? "running" : "dead"}))))));
  $("#status-out").replaceChildren(...lines);
  document.body.dataset.state = "shown";
}

function showTab(name) {
  document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.id === "tab-" + name));
  if (name === "counters") refreshCounters();
}

window.addEventListener("DOMContentLoaded", async () => {
  document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));
  $("#zoom").addEventListener("click", () => {
    const natural = $("#diagram").classList.toggle("natural");
    $("#zoom").textContent = natural ? "fit to the pane" : "actual size";
  });
  $("#trace-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const parts = parseTrace($("#trace-input").value.trim());
    if (!parts) { $("#trace-out").replaceChildren(el("p", {class: "error", text: "write it as: client1 → web:80"})); return; }
    runTrace(parts[0], parts[1], $("#trace-proto").value || null);
  });
  $("#matrix-form").addEventListener("submit", (e) => { e.preventDefault(); runMatrix(); });
  $("#counters-member").addEventListener("change", refreshCounters);
  setInterval(() => {
    if ($("#tab-counters").classList.contains("active") && $("#counters-live").checked) refreshCounters();
  }, 2000);
  try {
    await loadDiagram();
  } catch (e) {
    $("#diagram").replaceChildren(el("p", {class: "error", text: e.message}));
    return;
  }
  document.body.dataset.ready = "yes";
  const events = new EventSource("/api/events");
  events.addEventListener("state", (e) => showState(JSON.parse(e.data)));
});
