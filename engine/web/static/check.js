// The self-check form: while the file is being checked (a few seconds, longer for a large PDF), the
// button is disabled, so that one click sends one check, and a status line says what is happening.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.check-form");
  if (!form) return;
  const button = form.querySelector("button[type=submit]");
  const status = document.getElementById("check-status");
  form.addEventListener("submit", () => {
    button.disabled = true;
    status.textContent = "正在上传并检查，请稍候……（较大的 PDF 文件可能需要一分钟）";
  });
  // Back from the result, the browser may show this page as it was left: ready for another file.
  window.addEventListener("pageshow", () => {
    button.disabled = false;
    status.textContent = "";
  });
});
