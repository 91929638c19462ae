// Spillway dashboard: follows the manager's server-sent events (api/events; a snapshot, then an update after every
// cycle) and redraws. No libraries and no network access beyond this manager, so it works offline. Text goes in
// through textContent only, so host ids and reasons cannot inject markup.
'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var KEEP = 120;               // samples plotted per host (two minutes at the default 1 s cycle)
  var updates = 0;
  var history = {};             // host id -> { t: [...], series name: [...] }

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function text(parent, x, y, s, anchor) {
    var t = el('text', { x: x, y: y, 'text-anchor': anchor || 'start' }, parent);
    t.textContent = s;
    return t;
  }

  function fmt(v, digits, unit) {
    if (v === null || v === undefined) return '?';
    return v.toFixed(digits) + (unit || '');
  }

  function cell(tr, s, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = s;
    tr.appendChild(td);
    return td;
  }

  // Where the host's CPU was measured: the tooltip says it; a dotted underline marks the host's own cgroup.
  function scoped(td, scope) {
    td.title = 'measured on: ' + (scope || 'unknown') +
        ' (machine = the whole machine; cgroup-v1/v2 = the host\'s own cgroup, against its quota)';
    if (scope && scope !== 'machine') td.classList.add('own');
  }

  function sparkLine(svg, values, max, color) {
    var pts = [];
    var n = values.length;
    for (var i = 0; i < n; i++) {
      var v = values[i];
      if (v === null) continue;
      var x = n < 2 ? 0 : (i / (n - 1)) * 120;
      var y = 27 - Math.min(1, max > 0 ? v / max : 0) * 26;
      pts.push(x.toFixed(1) + ',' + y.toFixed(1));
    }
    if (!pts.length) return;
    el('polyline', { points: pts.join(' '), stroke: color }, svg);
  }

  function spark(h) {
    var svg = el('svg', { 'class': 'spark', viewBox: '0 0 120 28' });
    if (h) {
      // at least 400 ms full scale, so a steady 20 ms does not fill the plot like a steady 400 ms would
      var maxDelay = Math.max.apply(null, h.queueDelayMs.map(function (v) { return v || 0; }).concat([400]));
      sparkLine(svg, h.stress, 2, '#d32f2f');
      sparkLine(svg, h.queueDelayMs, maxDelay, '#1976d2');
      sparkLine(svg, h.cpu, 1, '#388e3c');
    }
    return svg;
  }

  // --- plots with a time axis and units --------------------------------------------------------------------
  var W = 340, H = 160, L = 40, R = 8, T = 18, B = 22;

  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }

  function clock(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  // lines: [{ name, values, color, dashed }]; unit names the y axis; floor is the smallest full scale
  function plot(title, unit, times, lines, floor) {
    var box = document.createElement('div');
    box.className = 'plot';
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, 'data-unit': unit }, box);
    var max = floor || 0;
    lines.forEach(function (l) { l.values.forEach(function (v) { if (v !== null && v > max) max = v; }); });
    max = niceMax(max);
    var x0 = L, x1 = W - R, y0 = H - B, y1 = T;
    for (var k = 0; k <= 2; k++) {
      var y = y0 - (y0 - y1) * k / 2;
      el('line', { x1: x0, x2: x1, y1: y, y2: y, 'class': 'grid' }, svg);
      var v = max * k / 2;
      text(svg, x0 - 4, y + 3, String(v >= 100 ? v.toFixed(0) : +v.toFixed(2)), 'end');
    }
    text(svg, 2, 10, unit, 'start');             // the y axis's unit, above its top label
    el('line', { x1: x0, x2: x0, y1: y0, y2: y1, 'class': 'axis' }, svg);
    el('line', { x1: x0, x2: x1, y1: y0, y2: y0, 'class': 'axis' }, svg);
    var n = times.length;
    var tFirst = n ? times[0] : 0, tLast = n ? times[n - 1] : 0;
    var span = Math.max(1, tLast - tFirst);
    function xOf(t) { return x0 + (x1 - x0) * (t - tFirst) / span; }
    if (n) {
      text(svg, x0, H - 6, clock(tFirst), 'start');
      if (n > 2) text(svg, (x0 + x1) / 2, H - 6, clock(tFirst + span / 2), 'middle');
      text(svg, x1, H - 6, clock(tLast), 'end');
    }
    lines.forEach(function (l) {
      // a gap (unknown figure) breaks the line rather than drawing a false zero
      var pts = [];
      function flush() {
        if (pts.length) el('polyline', { points: pts.join(' '), stroke: l.color, 'class': 'series',
          'data-series': l.name, 'stroke-dasharray': l.dashed ? '5 3' : 'none' }, svg);
        pts = [];
      }
      for (var i = 0; i < n; i++) {
        var v = l.values[i];
        if (v === null || v === undefined) { flush(); continue; }
        pts.push(xOf(times[i]).toFixed(1) + ',' + (y0 - (y0 - y1) * Math.min(1, v / max)).toFixed(1));
      }
      flush();
    });
    var legend = document.createElement('div');
    legend.className = 'legend title';
    var head = document.createElement('b');
    head.textContent = title + ' ';
    legend.appendChild(head);
    lines.forEach(function (l) {
      var s = document.createElement('span');
      var i = document.createElement('i');
      i.style.background = l.color;
      if (l.dashed) { i.className = 'dashed'; i.style.color = l.color; }
      s.appendChild(i);
      s.appendChild(document.createTextNode(l.name));
      legend.appendChild(s);
    });
    box.insertBefore(legend, svg);
    return box;
  }

  function hostPlots(host) {
    var h = history[host.id];
    var box = document.createElement('div');
    box.className = 'host-plots';
    box.setAttribute('data-host', host.id);
    var title = document.createElement('h3');
    title.textContent = host.id + ' (' + host.state + ')';
    box.appendChild(title);
    var row = document.createElement('div');
    row.className = 'row';
    box.appendChild(row);
    if (!h || !h.t.length) return box;
    row.appendChild(plot('Traffic', 'req/s', h.t, [
      { name: 'requests', values: h.requestRate, color: '#424242' },
      { name: 'moved away', values: h.movedRate, color: '#e65100' },
      { name: 'received from others', values: h.receivedRate, color: '#2e7d32' },
      { name: 'budgets granted', values: h.budget, color: '#e65100', dashed: true }], 1));
    row.appendChild(plot('Workers', 'workers', h.t, [
      { name: 'busy', values: h.busyWorkers, color: '#1976d2' },
      { name: 'waiting', values: h.waiting, color: '#d32f2f' },
      { name: 'pool size', values: h.maxWorkers, color: '#757575', dashed: true }], 1));
    row.appendChild(plot('Queue delay', 'ms', h.t, [
      { name: 'queue delay', values: h.queueDelayMs, color: '#6a1b9a' }], 50));
    return box;
  }

  // --- who moves to whom ----------------------------------------------------------------------------------
  function flowPicture(hosts, flows) {
    var w = 380, hgt = 320, cx = w / 2, cy = hgt / 2 + 6, r = Math.min(w, hgt) / 2 - 48;
    var svg = el('svg', { viewBox: '0 0 ' + w + ' ' + hgt, id: 'flow-picture' });
    var defs = el('defs', {}, svg);
    ['moved', 'granted'].forEach(function (kind) {
      var m = el('marker', { id: 'arrow-' + kind, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 5,
        markerHeight: 5, orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', fill: kind === 'moved' ? '#e65100' : '#9e9e9e' }, m);
    });
    var pos = {};
    hosts.forEach(function (h, i) {
      var a = -Math.PI / 2 + 2 * Math.PI * i / Math.max(1, hosts.length);
      pos[h.id] = { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) };
    });
    var maxRate = 1;
    flows.forEach(function (f) { if (f.perSecond > maxRate) maxRate = f.perSecond; });
    flows.forEach(function (f) {
      var p = pos[f.from], q = pos[f.to];
      if (!p || !q) return;
      var moved = f.perSecond !== null && f.perSecond >= 0.5;
      // bend each arrow to its right, so a->b and b->a do not overlap; stop short of the node circles
      var dx = q.x - p.x, dy = q.y - p.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len, gap = 24;
      var sx = p.x + ux * gap, sy = p.y + uy * gap, ex = q.x - ux * gap, ey = q.y - uy * gap;
      var mx = (sx + ex) / 2 - uy * 22, my = (sy + ey) / 2 + ux * 22;
      var path = el('path', { d: 'M' + sx + ',' + sy + ' Q' + mx + ',' + my + ' ' + ex + ',' + ey, fill: 'none',
        stroke: moved ? '#e65100' : '#9e9e9e', 'stroke-width': moved ? 1.5 + 6 * f.perSecond / maxRate : 1.2,
        'stroke-dasharray': moved ? 'none' : '5 4', 'marker-end': 'url(#arrow-' + (moved ? 'moved' : 'granted') + ')',
        'class': 'flow', 'data-from': f.from, 'data-to': f.to }, svg);
      var label = moved ? Math.round(f.perSecond) + '/s' : '';
      if (f.budget !== null && f.budget > 0) label += (label ? ' of ' : 'permit ') + Math.round(f.budget) + '/s';
      // the label beyond the bend, clear of even the widest arrow
      if (label) text(svg, (sx + ex) / 2 - uy * 36, (sy + ey) / 2 + ux * 36 + 3, label, 'middle');
      var tip = el('title', {}, path);
      tip.textContent = f.from + ' \u2192 ' + f.to + ': ' + label;
    });
    hosts.forEach(function (h) {
      var p = pos[h.id];
      var colors = { ok: '#2e7d32', overloaded: '#e65100', failed: '#b71c1c', unknown: '#757575',
        draining: '#1565c0', spare: '#6a1b9a' };
      el('circle', { cx: p.x, cy: p.y, r: 20, fill: colors[h.state] || '#757575', 'data-host': h.id }, svg);
      var t = text(svg, p.x, p.y + 4, h.id.length > 8 ? h.id.slice(0, 7) + '\u2026' : h.id, 'middle');
      t.setAttribute('style', 'fill:#fff;font-weight:600');
    });
    if (!flows.length) text(svg, cx, hgt - 8, 'no requests moved and no permits in force', 'middle');
    return svg;
  }

  // --- the table -----------------------------------------------------------------------------------------
  // A permit spills only while the host's pool is backed up: show what may go and what went.
  function directive(o) {
    if (o.mode === 'LOCAL') return 'local';
    var mode = o.mode.toLowerCase();
    if (!o.budgets || o.budgets.length === 0) return mode + ' ' + Math.round(o.fraction * 100) + '%';
    var moved = o.movedPerSecond === null || o.movedPerSecond === undefined ? 0 : o.movedPerSecond;
    return mode + ' permit' + (moved >= 1 ? ', spilling ' + Math.round(moved) + '/s' : '');
  }

  function targets(o) {
    if (!o.budgets || o.budgets.length === 0) return o.targets.join(', ');
    return o.targets.map(function (t, i) { return t + ' \u2264' + Math.round(o.budgets[i]) + '/s'; }).join(', ');
  }

  function capacity(c) {
    if (!c || c.perSecond === null) return '?';
    return Math.round(c.perSecond) + '/s (spare ' + Math.round(c.sparePerSecond) + ')';
  }

  function table(hosts) {
    var rows = document.createDocumentFragment();
    hosts.forEach(function (h) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-host', h.id);
      cell(tr, h.id);
      var badge = document.createElement('span');
      badge.className = 'state ' + h.state;
      badge.textContent = h.state;
      cell(tr, '').appendChild(badge);
      cell(tr, fmt(h.queueLength, 1), 'num');
      cell(tr, fmt(h.queueDelayMs, 0, ' ms'), 'num');
      scoped(cell(tr, h.cpu === null ? '?' : fmt(h.cpu * 100, 0, '%'), 'num cpu'), h.resourceScope);
      cell(tr, h.memory === null ? '?' : fmt(h.memory * 100, 0, '%'), 'num');
      cell(tr, fmt(h.stress, 2), 'num stress');
      cell(tr, directive(h.offload), 'directive');
      cell(tr, targets(h.offload) || '\u2013', 'targets');
      cell(tr, capacity(h.capacity), 'num capacity');
      cell(tr, '').appendChild(spark(history[h.id]));
      cell(tr, h.reason || '', 'reason');
      rows.appendChild(tr);
    });
    document.getElementById('hosts').replaceChildren(rows);
  }

  function log(decisions) {
    var items = document.createDocumentFragment();
    decisions.slice().reverse().forEach(function (d) {
      var div = document.createElement('div');
      div.textContent = new Date(d.timeMillis).toLocaleTimeString() + '  ' + d.text;
      items.appendChild(div);
    });
    document.getElementById('log').replaceChildren(items);
  }

  // --- state from the event stream -----------------------------------------------------------------------
  function merge(incoming, replace) {
    var next = {};
    Object.keys(incoming).forEach(function (id) {
      var add = incoming[id];
      var old = replace ? null : history[id];
      if (!old) { next[id] = add; return; }
      var last = old.t.length ? old.t[old.t.length - 1] : -1;
      Object.keys(add).forEach(function (name) {
        if (!old[name]) old[name] = old.t.map(function () { return null; });
      });
      for (var i = 0; i < add.t.length; i++) {
        if (add.t[i] <= last) continue;        // a time already plotted (a snapshot and an update can overlap)
        Object.keys(old).forEach(function (name) {
          old[name].push(add[name] === undefined ? null : add[name][i]);
          if (old[name].length > KEEP) old[name].shift();
        });
      }
      next[id] = old;
    });
    history = next;                            // hosts that left the table leave the plots too
  }

  // Who leads (several managers on ZooKeeper): a line above the table; nothing when this manager runs alone.
  function leaderLine(l) {
    var line = document.getElementById('leader');
    if (!l || l.mode === 'sole') { line.textContent = ''; return; }
    line.setAttribute('data-mode', l.mode);
    line.textContent = 'cluster ' + l.cluster + ': ' + (l.mode === 'leader' ? 'this manager leads (epoch ' + l.epoch + ')'
        : l.mode === 'follower' ? 'read-only follower; the leader is ' + l.leader
        : 'no leader (ZooKeeper unreachable or election running): nobody sends, leases end, hosts serve locally');
  }

  function render(state, replace) {
    leaderLine(state.leader);
    merge(state.history, replace);
    table(state.hosts);
    log(state.decisions);
    var flows = document.getElementById('flows');
    var old = document.getElementById('flow-picture');
    var pic = flowPicture(state.hosts, state.flows);
    if (old) flows.replaceChild(pic, old); else flows.appendChild(pic);
    var plots = document.createDocumentFragment();
    state.hosts.forEach(function (h) { plots.appendChild(hostPlots(h)); });
    document.getElementById('plots').replaceChildren(plots);
    updates++;
    var status = document.getElementById('status');
    status.setAttribute('data-updates', String(updates));
    status.textContent = state.hosts.length + ' host(s), cycle ' + state.cycle + ', updated ' +
        new Date().toLocaleTimeString() + ' (pushed by the manager)';
  }

  var source = new EventSource('api/events');
  source.addEventListener('snapshot', function (e) { render(JSON.parse(e.data), true); });
  source.addEventListener('update', function (e) { render(JSON.parse(e.data), false); });
  source.onerror = function () {
    // EventSource reconnects by itself; the next snapshot replaces whatever was missed
    document.getElementById('status').textContent = 'manager unreachable, reconnecting\u2026';
  };
})();
