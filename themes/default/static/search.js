/* 站内搜索：用网站自带的 Pagefind 索引在浏览器里查找，不向其他网站发送任何请求。
   没有脚本、从本地文件打开或索引读不到时，显示网站地图和工作台账等目录链接。 */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var fallback = document.getElementById("search-fallback");
  var why = document.getElementById("search-why");
  var MAX = 20;

  function unavailable(reason) {
    form.hidden = true;
    list.textContent = "";
    status.textContent = "";
    why.textContent = reason + "可以从下面的目录查找：";
    fallback.hidden = false;
  }
  if (!form.hasAttribute("data-enabled")) {
    unavailable("预览中没有搜索索引：正式生成网站（gongkai build）时才建立。");
    return;
  }
  if (location.protocol === "file:") {
    unavailable("直接打开保存在电脑上的网页时不能搜索，请通过网站访问。");
    return;
  }
  var root = new URL(form.getAttribute("data-root") || "./", location.href);
  var loading = null;
  function pagefind() {
    if (!loading) {
      // import() is written through Function so that browsers without it can still run the
      // rest of this file (they get the fallback links).
      var load;
      try { load = new Function("u", "return import(u)"); } catch (e) { return Promise.reject(e); }
      loading = load(new URL(form.getAttribute("data-index") + "pagefind.js", root).href).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: root.pathname })).then(function () { return pf; });
      });
    }
    return loading;
  }

  /* Pagefind marks the matched words with <mark>; everything else is shown as plain text. */
  function excerpt(html) {
    var p = document.createElement("p");
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (n) {
      if (n.nodeType === 1 && n.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = n.textContent;
        p.appendChild(m);
      } else {
        p.appendChild(document.createTextNode(n.textContent));
      }
    });
    return p;
  }

  var current = 0;
  function run(query) {
    var q = query.trim();
    var ticket = ++current;
    list.textContent = "";
    if (!q) { status.textContent = "请输入要查找的词，例如单位名称、乡镇名称或任务中的词语。"; return; }
    status.textContent = "正在搜索“" + q + "”……";
    pagefind().then(function (pf) {
      return pf.search(q);
    }).then(function (found) {
      if (ticket !== current) return null;
      var results = (found && found.results) || [];
      return Promise.all(results.slice(0, MAX).map(function (r) { return r.data(); })).then(function (items) {
        if (ticket !== current) return;
        if (!items.length) {
          status.textContent = "没有找到与“" + q + "”相关的页面。可以换一个词再找。";
          why.textContent = "也可以从下面的目录查找：";
          fallback.hidden = false;
          return;
        }
        fallback.hidden = true;
        status.textContent = "找到 " + results.length + " 个与“" + q + "”相关的页面" +
          (results.length > MAX ? "，下面列出最相关的 " + MAX + " 个。" : "。");
        items.forEach(function (d) {
          var li = document.createElement("li");
          var h = document.createElement("p");
          h.className = "result-title";
          var a = document.createElement("a");
          a.href = d.url;
          a.textContent = (d.meta && d.meta.title) || d.url;
          h.appendChild(a);
          li.appendChild(h);
          li.appendChild(excerpt(d.excerpt || ""));
          list.appendChild(li);
        });
      });
    }).catch(function () {
      if (ticket !== current) return;
      unavailable("搜索索引没有读取成功。");
    });
  }

  form.hidden = false;
  fallback.hidden = true;
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    run(input.value);
    try {
      history.replaceState(null, "", "?q=" + encodeURIComponent(input.value.trim()));
    } catch (e) { /* the address just keeps the old query */ }
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  } else if (initial !== null) {
    // Came from the header's search button with nothing typed (on phones it is a button only).
    input.focus();
  }
})();
