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
