/* 无障碍与关怀模式工具条：字号、高对比度、行距、朗读、恢复默认。设置保存在本机，跨页面和再次访问生效。 */
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
    var size = state.size || 0;
    bar.querySelectorAll("[data-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(Number(b.getAttribute("data-size")) === size));
    });
    bar.querySelectorAll("[data-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(!!state[b.getAttribute("data-toggle")]));
    });
  }
  bar.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) return;
    if (b.hasAttribute("data-size")) state.size = Number(b.getAttribute("data-size"));
    else if (b.hasAttribute("data-toggle")) {
      var k = b.getAttribute("data-toggle");
      state[k] = !state[k];
    } else if (b.hasAttribute("data-reset")) {
      state = {};
      stopReading();
    } else if (b.hasAttribute("data-read")) {
      toggleReading(b);
      return;
    }
    save(state);
    apply();
  });

  // Read aloud with the browser's speech synthesis, only where a Chinese voice exists.
  var synth = window.speechSynthesis;
  var readBtn = bar.querySelector("[data-read]");
  function zhVoice() {
    if (!synth || !synth.getVoices) return null;
    var vs = synth.getVoices() || [];
    for (var i = 0; i < vs.length; i++) {
      if (/^zh([-_]CN)?/i.test(vs[i].lang)) return vs[i];
    }
    return null;
  }
  function showRead() {
    if (readBtn) readBtn.hidden = !zhVoice();
  }
  function stopReading() {
    if (synth) synth.cancel();
    if (readBtn) readBtn.setAttribute("aria-pressed", "false");
  }
  function toggleReading(b) {
    if (b.getAttribute("aria-pressed") === "true") { stopReading(); return; }
    var main = document.getElementById("main");
    var voice = zhVoice();
    if (!main || !voice) return;
    var u = new SpeechSynthesisUtterance(main.innerText);
    u.lang = "zh-CN";
    u.voice = voice;
    u.onend = function () { b.setAttribute("aria-pressed", "false"); };
    synth.cancel();
    synth.speak(u);
    b.setAttribute("aria-pressed", "true");
  }
  if (synth && "onvoiceschanged" in synth) synth.addEventListener("voiceschanged", showRead);
  showRead();
  bar.hidden = false;
  apply();
})();
