// The batch page while its audit runs: asks the office's API for the batch's progress every second,
// shows it in the <progress> bar, and reloads the page once the batch is done or failed (the page
// then shows its results), or once the session has ended (the page then leads to the login). Without
// script the page says how to reload it by hand.
(function () {
  "use strict";
  var box = document.getElementById("batch-running");
  if (!box) { return; }
  var bar = document.getElementById("batch-progress");
  var state = document.getElementById("batch-state");
  var stage = document.getElementById("batch-stage");
  function show(batch) {
    state.textContent = batch.state_label;
    if (batch.state === "running") {
      bar.max = Math.max(batch.total, 1);
      bar.value = batch.done;
      bar.textContent = batch.done + "/" + batch.total;
      stage.textContent = batch.stage ? batch.stage + "：" + batch.done + "/" + batch.total : "";
    }
  }
  function poll() {
    fetch(box.getAttribute("data-poll"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (answer) {
        if (answer.status === 401) { window.location.reload(); return null; }
        if (!answer.ok) { throw new Error(answer.status); }
        return answer.json();
      })
      .then(function (batch) {
        if (batch === null) { return; }
        show(batch);
        if (batch.state === "done" || batch.state === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
