// Charts of the console, drawn with uPlot from the JSON the server put in data-series (the
// services' own report figures). No inline scripts: the page's CSP allows scripts from here only.
(function () {
  function uplift(el, d) {
    if (!d.labels || d.labels.length === 0) {
      el.textContent = 'No uplift to chart yet.';
      return;
    }
    var xs = d.labels.map(function (_, i) { return i; });
    var opts = {
      width: Math.max(280, el.clientWidth),
      height: 260,
      scales: { x: { time: false } },
      axes: [
        { values: function (u, splits) { return splits.map(function (i) { return d.labels[i] || ''; }); }, space: 60 },
        { label: 'value per decision' }
      ],
      series: [
        {},
        { label: 'uplift', stroke: '#0b57d0', width: 2, points: { show: true, size: 7 } },
        { label: '95% low', stroke: '#8ab4f8', dash: [4, 4] },
        { label: '95% high', stroke: '#8ab4f8', dash: [4, 4] }
      ],
      bands: [{ series: [3, 2], fill: 'rgba(11,87,208,0.12)' }]
    };
    var plot = new uPlot(opts, [xs, d.value, d.low, d.high], el);
    window.addEventListener('resize', function () {
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 260 });
    });
  }
  function days(labels) {
    return labels.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
  }
  function sized(el, opts, data) {
    var plot = new uPlot(opts, data, el);
    window.addEventListener('resize', function () {
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 260 });
    });
  }
  // one line per rule; colours dark enough for text contrast on white
  var RULES = [
    ['model', '#0b57d0'], ['exploration', '#8a4b00'], ['manual', '#146c2e'],
    ['control', '#6b3fa0'], ['none', '#57606a']
  ];
  function rules(el, d) {
    if (!d.days || d.days.length === 0) {
      el.textContent = 'No decisions in these days.';
      return;
    }
    var data = [days(d.days)];
    var series = [{}];
    RULES.forEach(function (r) {
      data.push((d.series && d.series[r[0]]) || []);
      series.push({ label: r[0], stroke: r[1], width: 2 });
    });
    sized(el, {
      width: Math.max(280, el.clientWidth), height: 260,
      axes: [{}, { label: 'decisions' }], series: series
    }, data);
  }
  function series(el, d) {
    if (!d.days || d.days.length === 0) {
      el.textContent = 'No uplift to chart yet: the programme needs treated and global-control decisions.';
      return;
    }
    sized(el, {
      width: Math.max(280, el.clientWidth), height: 260,
      axes: [{}, { label: 'value per decision' }],
      series: [
        {},
        { label: 'uplift', stroke: '#0b57d0', width: 2 },
        { label: '95% low', stroke: '#5f6f8f', dash: [4, 4] },
        { label: '95% high', stroke: '#5f6f8f', dash: [4, 4] }
      ],
      bands: [{ series: [3, 2], fill: 'rgba(11,87,208,0.12)' }]
    }, [days(d.days), d.value, d.low, d.high]);
  }
  function draw() {
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var d;
      try { d = JSON.parse(el.getAttribute('data-series') || '{}'); } catch (e) { return; }
      var kind = el.getAttribute('data-chart');
      if (!window.uPlot) return;
      if (kind === 'uplift') uplift(el, d);
      else if (kind === 'rules') rules(el, d);
      else if (kind === 'series') series(el, d);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw); else draw();
})();
