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
  // The manifest itself opens offline too (sw.js keeps the last one drawn for this phone).
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/console/sw.js", { scope: "/console/" });
})();

// Finding a parcel on the manifest by its tracking number, typed or scanned. The S10 check digit is
// verified as the courier types (a mistyped digit is caught before anything is looked up), and a
// parcel of today's manifest is found on the page itself, so finding works with no network; the
// camera scans the label's Code 128 barcode where the browser has BarcodeDetector (Chrome on Android).
(function () {
  "use strict";
  var form = document.getElementById("tim");
  var input = document.getElementById("van-don");
  var status = document.getElementById("van-don-kiem-tra");
  if (!form || !input || !status) return;

  function checkDigit(serial) {
    var weights = [8, 6, 4, 2, 3, 5, 9, 7];
    var sum = 0;
    for (var i = 0; i < 8; i++) sum += Number(serial.charAt(i)) * weights[i];
    var digit = 11 - (sum % 11);
    return digit === 10 ? 0 : digit === 11 ? 5 : digit;
  }

  // "" when the number is a valid S10 number, otherwise why not (in the courier's words).
  function problem(text) {
    if (text.length < 13) return "Đã gõ " + text.length + "/13 ký tự.";
    if (!/^[A-Z]{2}[0-9]{9}VN$/.test(text)) return "Mã vận đơn gồm 2 chữ cái, 9 chữ số và VN.";
    if (checkDigit(text.slice(2, 10)) !== Number(text.charAt(10))) {
      return "Sai số kiểm tra: hãy xem lại từng chữ số.";
    }
    return "";
  }

  function check() {
    var text = input.value.replace(/\s+/g, "").toUpperCase();
    if (text !== input.value) input.value = text;
    var why = text ? problem(text) : "";
    input.setCustomValidity(why && text.length === 13 ? why : "");
    status.textContent = why || (text ? "Mã đúng." : "");
    status.className = "hint" + (why && text.length === 13 ? " wrong" : text && !why ? " right" : "");
    return text && !why ? text : null;
  }

  input.addEventListener("input", check);

  form.addEventListener("submit", function (event) {
    var text = check();
    if (!text) {
      event.preventDefault();
      status.textContent = problem(input.value) || status.textContent;
      return;
    }
    var parcel = document.getElementById("bg-" + text);
    if (!parcel) {
      if (!navigator.onLine) {
        event.preventDefault();
        status.textContent = "Bưu gửi " + text + " không có trong bảng kê trên máy.";
      }
      return;  // online: the server answers (the manifest may have changed since the page was drawn)
    }
    event.preventDefault();
    Array.prototype.forEach.call(document.querySelectorAll(".parcel.highlight"), function (other) {
      other.classList.remove("highlight");
    });
    parcel.classList.add("highlight");
    parcel.scrollIntoView({ behavior: "smooth", block: "center" });
    var first = parcel.querySelector("input:not([type=hidden]), button");
    if (first) first.focus({ preventScroll: true });
    status.textContent = "Đã tìm thấy " + text + ".";
  });

  var button = document.getElementById("quet-camera");
  var video = document.getElementById("camera");
  if (!button || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  var stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    button.textContent = "Quét bằng camera";
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    var detector = new window.BarcodeDetector({ formats: ["code_128"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      button.textContent = "Tắt camera";
      return video.play().then(function look() {
        if (!stream) return;
        return detector.detect(video).then(function (codes) {
          for (var i = 0; i < codes.length; i++) {
            var text = String(codes[i].rawValue || "").toUpperCase();
            if (!problem(text)) {
              input.value = text;
              stop();
              check();
              if (form.requestSubmit) form.requestSubmit(); else form.submit();
              return;
            }
          }
          return new Promise(function (resolve) { setTimeout(resolve, 250); }).then(look);
        });
      });
    }).catch(function () {
      stop();
      status.textContent = "Không mở được camera: hãy gõ mã vận đơn.";
    });
  });
})();
