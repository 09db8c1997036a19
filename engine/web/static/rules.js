// The rule editor (engine/web/rules_editor.py): the problems of the text as it is typed (after a pause,
// POST /api/office/rules/check), and 运行测试 / 预览 answered in place instead of reloading the page.
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

  function post(url, target, busy) {
    var number = sent[target] = (sent[target] || 0) + 1;
    var box = document.getElementById(target);
    if (busy) { box.innerHTML = ""; var note = document.createElement("p"); note.className = "muted"; note.textContent = busy; box.appendChild(note); }
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
      body: JSON.stringify({file: form.dataset.file, text: text.value})
    }).then(function (answer) {
      return answer.json().then(function (body) {
        if (!answer.ok) { throw new Error(body.error || ("服务器答复 " + answer.status)); }
        return body;
      });
    }).then(function (body) {
      if (number === sent[target]) { box.innerHTML = body.html; }
      return body;
    }).catch(function (error) {
      box.innerHTML = "";
      var message = document.createElement("p");
      message.className = "flash error";
      message.setAttribute("role", "alert");
      message.textContent = "未能完成：" + error.message + "（内容未保存，可稍后再试）";
      box.appendChild(message);
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
    post(form.dataset.preview, "preview-result", "正在用修改后的规则审核最近一个批次……");
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
