// The rule editor (engine/web/rules_editor.py): the problems of the text as it is typed (after a pause,
// POST /api/office/rules/check), and 运行测试 / 预览 answered in place instead of reloading the page: the
// preview runs on the server in the background (POST /api/office/rules/preview answers its job), and
// its progress is asked for (GET the job's url) until it is done.
// 保存 is the form's own submit: the server checks and tests again before it writes anything.
(function () {
  "use strict";
  var form = document.getElementById("rule-form");
  if (!form) { return; }
  var text = document.getElementById("rule-text");
  var token = form.querySelector('input[name="csrf_token"]').value;
  var cursor = document.getElementById("cursor-place");
  var sent = {};  // per result box: an answer that comes after a later request's is dropped
  var timer = null;

  // The JSON answer of a request, or an Error saying why there is none.
  function ask(url, options) {
    return fetch(url, options).then(function (answer) {
      return answer.json().then(function (body) {
        if (!answer.ok) { throw new Error(body.error || ("服务器答复 " + answer.status)); }
        return body;
      }, function () { throw new Error("服务器答复 " + answer.status); });
    });
  }

  function sendText(url) {
    return ask(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
      body: JSON.stringify({file: form.dataset.file, text: text.value})
    });
  }

  function note(box, text) {
    box.innerHTML = "";
    var line = document.createElement("p");
    line.className = "muted";
    line.textContent = text;
    box.appendChild(line);
  }

  function failed(box, error) {
    box.innerHTML = "";
    var message = document.createElement("p");
    message.className = "flash error";
    message.setAttribute("role", "alert");
    message.textContent = "未能完成：" + error.message + "（内容未保存，可稍后再试）";
    box.appendChild(message);
  }

  // The text sent to ``url``, its answer's html shown in ``target`` (``busy`` meanwhile); ``then``
  // may ask further (the preview's job) and gives the html to show.
  function post(url, target, busy, then) {
    var number = sent[target] = (sent[target] || 0) + 1;
    var box = document.getElementById(target);
    var current = function () { return number === sent[target]; };
    if (busy) { note(box, busy); }
    return sendText(url).then(function (body) {
      return then ? then(body, box, current) : body;
    }).then(function (body) {
      if (current()) { box.innerHTML = body.html; }
    }).catch(function (error) {
      if (current()) { failed(box, error); }
    });
  }

  // A preview runs in the background: its progress is asked for every second, shown, until it ends.
  function followed(body, box, current) {
    return new Promise(function (resolve, reject) {
      function poll() {
        if (!current()) { resolve(body); return; }
        ask(body.url, {credentials: "same-origin"}).then(function (state) {
          if (state.state !== "running") { resolve(state); return; }
          if (current()) { box.innerHTML = state.html; }
          setTimeout(poll, 1000);
        }).catch(reject);
      }
      if (current()) { box.innerHTML = body.html; }
      setTimeout(poll, 1000);
    });
  }

  function check() { post(form.dataset.check, "rule-problems"); }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 600);
  });

  document.getElementById("run-tests").addEventListener("click", function (event) {
    event.preventDefault();
    post(form.dataset.test, "test-results", "正在运行测试用例……");
  });
  document.getElementById("preview").addEventListener("click", function (event) {
    event.preventDefault();
    document.getElementById("preview-result").scrollIntoView({block: "start"});
    post(form.dataset.preview, "preview-result", "正在开始预览……", followed);
  });

  // 转到第 N 行: put the cursor where a problem is and give the textarea the focus.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.goto");
    if (!button) { return; }
    var lines = text.value.split("\n");
    var line = Math.min(parseInt(button.dataset.line, 10) || 1, lines.length);
    var offset = 0;
    for (var i = 0; i < line - 1; i++) { offset += lines[i].length + 1; }
    offset += Math.max(0, Math.min((parseInt(button.dataset.column, 10) || 1) - 1, lines[line - 1].length));
    text.focus();
    text.setSelectionRange(offset, offset);
    var height = text.scrollHeight / Math.max(lines.length, 1);
    text.scrollTop = Math.max(0, (line - 5) * height);
    showCursor();
  });

  // The line and column of the cursor, since a textarea shows no line numbers.
  function showCursor() {
    var before = text.value.slice(0, text.selectionStart).split("\n");
    cursor.textContent = "光标位置：第" + before.length + "行第" + (before[before.length - 1].length + 1) + "列";
  }
  ["keyup", "click", "focus"].forEach(function (name) { text.addEventListener(name, showCursor); });
}());
