// Spillway dashboard: polls the manager's JSON API once a second and redraws. No libraries, no network
// access beyond this manager. Text goes in through textContent only, so host ids and reasons cannot inject markup.
'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var updates = 0;

  function fmt(v, digits, unit) {
    if (v === null || v === undefined) return '?';
    return v.toFixed(digits) + (unit || '');
  }

  function cell(tr, text, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  // Where the host's CPU was measured: the tooltip says it; a dotted underline marks the host's own cgroup.
  function scoped(td, scope) {
    td.title = 'measured on: ' + (scope || 'unknown') +
        ' (machine = the whole machine; cgroup-v1/v2 = the host\'s own cgroup, against its quota)';
    if (scope && scope !== 'machine') td.classList.add('own');
  }

  function line(svg, values, max, color) {
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
    var pl = document.createElementNS(SVG, 'polyline');
    pl.setAttribute('points', pts.join(' '));
    pl.setAttribute('stroke', color);
    svg.appendChild(pl);
  }

  function spark(h) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', '0 0 120 28');
    if (h) {
      // at least 400 ms full scale, so a steady 20 ms does not fill the plot like a steady 400 ms would
      var maxDelay = Math.max.apply(null, h.queueDelayMs.map(function (v) { return v || 0; }).concat([400]));
      line(svg, h.stress, 2, '#d32f2f');
      line(svg, h.queueDelayMs, maxDelay, '#1976d2');
      line(svg, h.cpu, 1, '#388e3c');
    }
    return svg;
  }

  function render(hosts, history, decisions) {
    var body = document.getElementById('hosts');
    var rows = document.createDocumentFragment();
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
    hosts.forEach(function (h) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-host', h.id);
      cell(tr, h.id);
      var st = cell(tr, '');
      var badge = document.createElement('span');
      badge.className = 'state ' + h.state;
      badge.textContent = h.state;
      st.appendChild(badge);
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
    body.replaceChildren(rows);

    var log = document.getElementById('log');
    var items = document.createDocumentFragment();
    decisions.slice().reverse().forEach(function (d) {
      var div = document.createElement('div');
      div.textContent = new Date(d.timeMillis).toLocaleTimeString() + '  ' + d.text;
      items.appendChild(div);
    });
    log.replaceChildren(items);
    updates++;
    var status = document.getElementById('status');
    status.setAttribute('data-updates', String(updates));
    status.textContent = hosts.length + ' host(s), updated ' + new Date().toLocaleTimeString();
  }

  function get(path) {
    return fetch(path, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.json();
    });
  }

  function tick() {
    Promise.all([get('api/hosts'), get('api/history'), get('api/decisions')])
      .then(function (r) { render(r[0], r[1], r[2]); })
      .catch(function (e) { document.getElementById('status').textContent = 'manager unreachable: ' + e.message; })
      .finally(function () { setTimeout(tick, 1000); });
  }
  tick();
})();
