// 三审网页：本浏览器的审核密钥（WebCrypto，不可导出，保存在 IndexedDB），登记和签署。
// The private key never leaves this browser: the server sends the canonical payload, the
// browser signs it, the server checks the signature against the registered public key.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="gongkai-csrf"]') || {}).content || "";
  var result = document.getElementById("result");
  function say(text, ok) {
    if (!result) return;
    result.textContent = text;
    result.className = ok ? "ok" : "error";
  }
  function db() {
    return new Promise(function (res, rej) {
      var r = indexedDB.open("gongkai-review", 1);
      r.onupgradeneeded = function () { r.result.createObjectStore("keys"); };
      r.onsuccess = function () { res(r.result); };
      r.onerror = function () { rej(r.error); };
    });
  }
  function store(mode, f) {
    return db().then(function (d) {
      return new Promise(function (res, rej) {
        var tx = d.transaction("keys", mode);
        var q = f(tx.objectStore("keys"));
        tx.oncomplete = function () { res(q && q.result); };
        tx.onerror = function () { rej(tx.error); };
      });
    });
  }
  function getMe() { return store("readonly", function (s) { return s.get("me"); }); }
  function putMe(v) { return store("readwrite", function (s) { return s.put(v, "me"); }); }
  function b64(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-gongkai-csrf": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    }).then(function (r) { return r.json(); });
  }
  function sign(me, text) {
    var params = me.alg === "ed25519" ? { name: "Ed25519" } : { name: "ECDSA", hash: "SHA-256" };
    return crypto.subtle.sign(params, me.privateKey, new TextEncoder().encode(text)).then(function (s) {
      return me.alg + ":" + b64(new Uint8Array(s));
    });
  }

  var shown = document.getElementById("me");
  if (shown) {
    getMe().then(function (me) {
      if (me) shown.textContent = me.id + "（" + (me.alg === "ed25519" ? "Ed25519" : "ECDSA P-256") + " 密钥）";
    });
  }

  // Enrolment: a new key pair, not extractable, kept by this browser.
  var make = document.getElementById("make");
  if (make) {
    make.addEventListener("click", function () {
      var id = document.getElementById("rid").value.trim();
      var name = document.getElementById("rname").value.trim();
      var stages = Array.prototype.map.call(document.querySelectorAll('input[name="stage"]:checked'), function (x) { return x.value; });
      if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) { say("审核人编号只能用小写字母、数字和连字符"); return; }
      if (!name) { say("请填写姓名"); return; }
      if (!stages.length) { say("请至少选一个环节"); return; }
      var forceP256 = /[?&]alg=p256\b/.test(location.search);
      var made = forceP256 ? Promise.reject() : crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]).then(function (k) { return { alg: "ed25519", key: k }; });
      made.catch(function () {
        return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]).then(function (k) { return { alg: "p256", key: k }; });
      }).then(function (m) {
        return crypto.subtle.exportKey("raw", m.key.publicKey).then(function (raw) {
          var pub = m.alg + ":" + b64(new Uint8Array(raw));
          return putMe({ id: id, alg: m.alg, privateKey: m.key.privateKey, publicKey: pub }).then(function () { return pub; });
        });
      }).then(function (pub) {
        var entry = document.getElementById("entry");
        entry.textContent = "  - id: " + id + "\n    name: " + JSON.stringify(name) + "\n    stages: [" + stages.join(", ") + "]\n    public_key: \"" + pub + "\"";
        entry.hidden = false;
        say("已在本浏览器生成密钥。请把下面的条目交给站点管理员加进 content/reviewers.yaml 的 reviewers: 下。", true);
      }).catch(function (e) { say("无法生成密钥：" + e); });
    });
  }

  // Sign or return one item.
  var form = document.getElementById("act");
  if (form) {
    var run = function (act) {
      var reason = document.getElementById("reason").value.trim();
      if (act === "return" && !reason) { say("退回须写明理由"); return; }
      getMe().then(function (me) {
        if (!me) { say("本浏览器还没有登记审核密钥：请先到“登记审核密钥”页面登记"); return; }
        var body = { target: form.dataset.target, act: act, stage: form.dataset.stage, reviewer: me.id, reason: act === "return" ? reason : null };
        return post("/__gongkai/review/prepare", body).then(function (r) {
          if (r.error) throw new Error(r.error);
          return Promise.all(r.payloads.map(function (p) { return sign(me, p); }));
        }).then(function (sigs) {
          body.signatures = sigs;
          return post("/__gongkai/review/submit", body);
        }).then(function (r) {
          if (r.error) throw new Error(r.error);
          say(r.message, true);
          var buttons = form.querySelectorAll("button");
          for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
        });
      }).catch(function (e) { say("未签署：" + (e && e.message ? e.message : e)); });
    };
    document.getElementById("approve").addEventListener("click", function () { run("sign"); });
    document.getElementById("return").addEventListener("click", function () { run("return"); });
  }
})();
