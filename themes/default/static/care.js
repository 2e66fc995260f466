/* 无障碍与关怀模式工具条：长者模式、字号、高对比度、行距、特大鼠标、朗读、恢复默认。设置保存在本机，跨页面和再次访问生效。 */
(function () {
  "use strict";
  var KEY = "gongkai-care";
  var bar = document.getElementById("care");
  if (!bar) return;
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function save(s) {
    try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode: settings last for this page only */ }
  }
  var state = load();
  function apply() {
    var c = document.documentElement.classList;
    c.remove("fs-1", "fs-2");
    if (state.size === 1 || state.size === 2) c.add("fs-" + state.size);
    c.toggle("hc", !!state.contrast);
    c.toggle("wide", !!state.spacing);
    c.toggle("cursor", !!state.cursor);
    c.toggle("elder", !!state.elder);
    var size = state.size || 0;
    bar.querySelectorAll("[data-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(Number(b.getAttribute("data-size")) === size));
    });
    bar.querySelectorAll("[data-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(!!state[b.getAttribute("data-toggle")]));
    });
    bar.querySelectorAll("[data-elder]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(!!state.elder));
    });
  }
  bar.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) return;
    if (b.classList.contains("care-fold")) {
      // Phones: the individual settings fold away so the page's heading fits the first screen.
      var open = !bar.classList.contains("open");
      bar.classList.toggle("open", open);
      b.setAttribute("aria-expanded", String(open));
      return;
    }
    if (b.hasAttribute("data-elder")) {
      // One click: large text, wider spacing, stronger contrast, 60 px controls, large pointer.
      state = state.elder ? {} : { elder: true, size: Math.max(state.size || 0, 1), contrast: true, spacing: true, cursor: true };
    } else if (b.hasAttribute("data-size")) state.size = Number(b.getAttribute("data-size"));
    else if (b.hasAttribute("data-toggle")) {
      var k = b.getAttribute("data-toggle");
      state[k] = !state[k];
    } else if (b.hasAttribute("data-reset")) {
      state = {};
      stopReading();
      say("");
    } else if (b.hasAttribute("data-read")) {
      toggleReading(b);
      return;
    }
    save(state);
    apply();
  });

  // Read aloud with the browser's speech synthesis, with a Mainland Chinese (zh-CN) voice only.
  var synth = window.speechSynthesis;
  var readBtn = bar.querySelector("[data-read]");
  var msg = bar.querySelector(".care-msg");
  var NO_VOICE = "本设备没有中文朗读语音，请使用读屏软件或系统朗读功能。";
  function say(text) {
    if (msg) msg.textContent = text;
  }
  function zhVoice() {
    if (!synth || !synth.getVoices) return null;
    var vs = synth.getVoices() || [];
    for (var i = 0; i < vs.length; i++) {
      if (/^(zh[-_]CN|cmn[-_]Hans[-_]CN|zh[-_]Hans[-_]CN)$/i.test(vs[i].lang || "")) return vs[i];
    }
    return null;
  }
  function stopReading() {
    if (synth) synth.cancel();
    if (readBtn) readBtn.setAttribute("aria-pressed", "false");
  }
  // The text to read: what is shown, without decorative icons (aria-hidden), table cells as
  // 「列名：值」 with the column's header.
  function textOf(node) {
    if (node.nodeType === 3) return node.data;
    if (node.nodeType !== 1) return "";
    var el = node;
    if (el.getAttribute("aria-hidden") === "true" || el.hidden) return "";
    var tag = el.tagName;
    if (tag === "SCRIPT" || tag === "STYLE" || tag === "TEMPLATE") return "";
    var cs = window.getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden") {
      // A closed <details> still reads its summary.
      if (tag !== "DETAILS") return "";
    }
    if (tag === "DETAILS" && !el.open) {
      var s = el.querySelector("summary");
      return s ? textOf(s) + "\n" : "";
    }
    if (tag === "TABLE") return tableText(el);
    if (tag === "BR") return "\n";
    var out = "";
    for (var c = el.firstChild; c; c = c.nextSibling) out += textOf(c);
    if (/^(P|LI|H[1-6]|DIV|SECTION|DT|DD|BLOCKQUOTE|TR|CAPTION|UL|OL|DL|SUMMARY)$/.test(tag)) out = "\n" + out + "\n";
    return out;
  }
  function clean(s) {
    // Separators (· ›) are read as a pause, not as symbols.
    return s.replace(/\s*[·›]\s*/g, "，").replace(/[ \t\r\f\v]+/g, " ").replace(/ *\n[\s]*/g, "\n").trim();
  }
  function tableText(table) {
    var out = "";
    if (table.caption) out += clean(textOf(table.caption)) + "\n";
    var heads = [];
    var headRow = table.tHead && table.tHead.rows[0];
    if (headRow) {
      for (var i = 0; i < headRow.cells.length; i++) heads.push(clean(textOf(headRow.cells[i])).replace(/\n/g, " "));
    }
    for (var b = 0; b < table.tBodies.length; b++) {
      var rows = table.tBodies[b].rows;
      for (var r = 0; r < rows.length; r++) {
        var parts = [];
        for (var k = 0; k < rows[r].cells.length; k++) {
          var cell = rows[r].cells[k];
          var v = clean(textOf(cell)).replace(/\n/g, "，");
          var h = heads[k] || cell.getAttribute("data-label") || "";
          if (v) parts.push(h ? h + "：" + v : v);
        }
        if (parts.length) out += parts.join("；") + "。\n";
      }
    }
    return "\n" + out;
  }
  function toggleReading(b) {
    if (b.getAttribute("aria-pressed") === "true") { stopReading(); return; }
    var main = document.getElementById("main");
    var voice = zhVoice();
    if (!voice) { say(NO_VOICE); return; }
    say("");
    if (!main) return;
    var u = new SpeechSynthesisUtterance(clean(textOf(main)));
    u.lang = "zh-CN";
    u.voice = voice;
    u.onend = function () { b.setAttribute("aria-pressed", "false"); };
    synth.cancel();
    synth.speak(u);
    b.setAttribute("aria-pressed", "true");
  }
  bar.hidden = false;
  apply();
})();
