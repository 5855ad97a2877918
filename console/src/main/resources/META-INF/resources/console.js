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
  function draw() {
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var d;
      try { d = JSON.parse(el.getAttribute('data-series') || '{}'); } catch (e) { return; }
      if (el.getAttribute('data-chart') === 'uplift' && window.uPlot) uplift(el, d);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw); else draw();
})();
