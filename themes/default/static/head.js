/* Applies the saved care-mode settings before the page is painted (no flash of small text). */
(function () {
  var c = document.documentElement.classList;
  c.add("js");
  try {
    var s = JSON.parse(localStorage.getItem("gongkai-care") || "{}");
    if (s.size === 1 || s.size === 2) c.add("fs-" + s.size);
    if (s.contrast) c.add("hc");
    if (s.spacing) c.add("wide");
    if (s.cursor) c.add("cursor");
    if (s.elder) c.add("elder");
  } catch (e) { /* no storage: defaults */ }
})();
/* Printing: closed <details> (成员单位 lists) are opened for paper and closed again afterwards. */
(function () {
  var opened = [];
  addEventListener("beforeprint", function () {
    opened = [].slice.call(document.querySelectorAll("details:not([open])"));
    opened.forEach(function (d) { d.open = true; });
  });
  addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
