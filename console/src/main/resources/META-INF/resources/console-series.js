// Daily series of the Content and Segments pages (variant allocation, segment sizes), drawn with
// uPlot from the JSON the server put in data-series: {"days": [...], "series": [{label, values}]}.
// No inline scripts: the page's CSP allows scripts from this origin only.
(function () {
  var COLOURS = ['#0b57d0', '#b3261e', '#146c2e', '#8e24aa', '#e37400', '#00838f', '#5d4037', '#3949ab'];
  function daily(el, d) {
    if (!d.days || d.days.length === 0) {
      el.textContent = 'Nothing to chart yet.';
      return;
    }
    var xs = d.days.map(function (day) { return Date.parse(day + 'T00:00:00Z') / 1000; });
    var series = [{}];
    var data = [xs];
    d.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true, size: 6 } });
      data.push(s.values);
    });
    var opts = {
      width: Math.max(280, el.clientWidth),
      height: 260,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      axes: [{}, { label: el.getAttribute('data-y-label') || '' }],
      series: series
    };
    var plot = new uPlot(opts, data, el);
    window.addEventListener('resize', function () {
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 260 });
    });
  }
  function draw() {
    document.querySelectorAll('[data-chart="daily"]').forEach(function (el) {
      var d;
      try { d = JSON.parse(el.getAttribute('data-series') || '{}'); } catch (e) { return; }
      if (window.uPlot) daily(el, d);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw); else draw();
})();
