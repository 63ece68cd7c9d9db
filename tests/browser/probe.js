// Injected by scripts/test-browser.sh into a copy of report.html (never into the report): after
// load it measures the page and drives one map through the DOM, then writes what it saw as JSON
// into <body data-probe> for check_dom.py. Page width first, before anything moves.
window.addEventListener('load', function () {
  var r = {};
  r.scrollWidth = document.scrollingElement.scrollWidth;
  r.innerWidth = window.innerWidth;
  r.tableRight = 0;
  document.querySelectorAll('table').forEach(function (t) {
    var b = t.getBoundingClientRect();
    if (b.right > r.tableRight) r.tableRight = b.right;
  });
  r.clientWidth = document.documentElement.clientWidth;
  var svg = document.querySelector('svg.map');
  var box = svg.closest('.mapbox');
  box.querySelector('button[data-zoom="1"]').click();
  r.zoom = svg.getAttribute('data-zoom');
  r.transform = svg.querySelector('g.zoom').getAttribute('transform');
  var li = box.querySelector('li[data-toggle="facilities"]');
  var layer = svg.querySelector('g[data-layer="facilities"]');
  li.click();
  r.hidden = getComputedStyle(layer).display;
  li.click();
  r.shown = getComputedStyle(layer).display;
  r.resources = performance.getEntriesByType('resource').map(function (e) { return e.name; });
  document.body.setAttribute('data-probe', JSON.stringify(r));
});
