// The courier's offline queue (issue 18). A scan form on the manifest is not sent directly: the scan
// is first written to IndexedDB on the phone, with its client_event_id and the time of the tap, and
// only then sent, oldest first. Without a network (or with a server that does not answer) it stays
// there and is sent when the network returns (the `online` event, and every 15 s); a scan leaves the
// queue's "pending" state only when the server has answered for it: applied, waiting for earlier
// scans, or refused (with the reason, and never sent again). Nothing is ever deleted by a failure.
// Without this script the forms post as ordinary forms.
(function () {
  "use strict";
  var DB_NAME = "cbd-courier";
  var STORE = "scans";
  var WORDS = {
    pending: "chờ gửi",
    applied: "đã ghi",
    waiting: "đã ghi, chờ lần quét trước",
    refused: "không được nhận",
  };
  var flushing = false;
  var database = null;

  function openDatabase() {
    if (database) return Promise.resolve(database);
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "event" });
      };
      request.onsuccess = function () {
        database = request.result;
        resolve(database);
      };
      request.onerror = function () { reject(request.error); };
    });
  }

  function save(item) {
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, "readwrite");
        transaction.objectStore(STORE).put(item);
        transaction.oncomplete = function () { resolve(item); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function all() {
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        var request = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
        request.onsuccess = function () {
          resolve(request.result.sort(function (a, b) { return a.at < b.at ? -1 : a.at > b.at ? 1 : 0; }));
        };
        request.onerror = function () { reject(request.error); };
      });
    });
  }

  // The page's current CSRF token (a token stored with an old scan may belong to an ended session).
  function csrf() {
    var field = document.querySelector("input[name=csrf]");
    return field ? field.value : "";
  }

  function say(text) {
    var status = document.getElementById("hang-doi-trang-thai");
    if (status) status.textContent = text;
  }

  function render() {
    return all().then(function (items) {
      var panel = document.getElementById("hang-doi");
      var list = document.getElementById("hang-doi-danh-sach");
      if (!panel || !list) return;
      var today = new Date().toISOString().slice(0, 10);
      items = items.filter(function (item) { return item.state === "pending" || item.at.slice(0, 10) === today; });
      panel.hidden = items.length === 0;
      while (list.firstChild) list.removeChild(list.firstChild);
      var pending = 0;
      items.forEach(function (item) {
        if (item.state === "pending") pending += 1;
        var row = document.createElement("li");
        row.className = "queue-" + item.state;
        row.setAttribute("data-event", item.event);
        var time = new Date(item.at);
        var hhmm = ("0" + time.getHours()).slice(-2) + ":" + ("0" + time.getMinutes()).slice(-2);
        row.textContent = hhmm + " · " + item.label + " · " + WORDS[item.state] + (item.message ? ": " + item.message : "");
        list.appendChild(row);
        // The parcel's own form says it too, where the courier's thumb is.
        var field = document.querySelector("input[name=event][value='" + item.event + "']");
        var note = field && field.form ? field.form.querySelector(".queued") : null;
        if (note) note.textContent = WORDS[item.state].charAt(0).toUpperCase() + WORDS[item.state].slice(1) +
          (item.message ? ": " + item.message : "") + ".";
      });
      var count = document.getElementById("hang-doi-cho");
      if (count) count.textContent = String(pending);
    });
  }

  function send(item) {
    var url = "/console/quet/" + encodeURIComponent(item.tracking);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: item.body + "&csrf=" + encodeURIComponent(csrf()),
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        // The sign-in page (the session ended) or a page saying the form is stale: keep the scan.
        return { stop: "Phiên đăng nhập đã hết. Hãy đăng nhập lại: các lần quét vẫn được giữ trên máy." };
      }
      if (response.status >= 500) return { stop: "Máy chủ đang bận; sẽ gửi lại sau." };
      return response.json().then(function (answer) { return { answer: answer }; });
    });
  }

  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    return all().then(function (items) {
      var pending = items.filter(function (item) { return item.state === "pending"; });
      var chain = Promise.resolve(true);
      pending.forEach(function (item) {
        chain = chain.then(function (goOn) {
          if (!goOn) return false;
          return send(item).then(function (result) {
            if (result.stop) {
              say(result.stop);
              return false;
            }
            item.state = result.answer.outcome in WORDS ? result.answer.outcome : "refused";
            item.message = result.answer.message || "";
            return save(item).then(render).then(function () { return true; });
          }, function () {
            say("Mất sóng: các lần quét được giữ trên máy và sẽ tự gửi khi có sóng.");
            return false;
          });
        });
      });
      return chain.then(function (sentAll) { if (sentAll && pending.length) say("Đã gửi hết."); });
    }).then(function () { flushing = false; }, function () { flushing = false; });
  }

  function label(form) {
    var button = form.querySelector("button[type=submit]");
    var tracking = decodeURIComponent(form.getAttribute("action").split("/").pop());
    return tracking + " · " + (button ? button.textContent.trim() : "");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.getAttribute || (form.getAttribute("action") || "").indexOf("/console/quet/") !== 0) return;
    if (!window.indexedDB || !window.fetch) return;  // an old browser: the form posts as it is
    event.preventDefault();
    var fields = new URLSearchParams(new FormData(form));
    fields.delete("csrf");
    var at = new Date().toISOString();
    fields.set("occurred_at", at);
    var item = {
      event: fields.get("event"), tracking: decodeURIComponent(form.getAttribute("action").split("/").pop()),
      body: fields.toString(), at: at, state: "pending", message: "", label: label(form),
    };
    Array.prototype.forEach.call(form.querySelectorAll("button, input, select"), function (field) {
      field.disabled = true;
    });
    var note = document.createElement("p");
    note.className = "hint queued";
    note.textContent = "Đã lưu trên máy, chờ gửi.";
    form.appendChild(note);
    save(item).then(render).then(flush);
  });

  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  render().then(flush);
})();
