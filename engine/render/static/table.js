// Sorting and filtering for tables marked data-sortable. The page reads fully without this script.
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-value");
    return value === null ? cell.textContent.trim() : Number(value);
  }
  function sortBy(table, header) {
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(header.parentNode.children, function (th) {
      if (th.hasAttribute("aria-sort")) { th.setAttribute("aria-sort", "none"); }
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function filter(table, text, status) {
    var wanted = text.trim().toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var matches = row.textContent.toLowerCase().indexOf(wanted) !== -1;
      var levels = (row.getAttribute("data-levels") || "").split(" ");
      var shown = matches && (status === "" || levels.indexOf(status) !== -1);
      row.hidden = !shown;
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
      header.setAttribute("aria-sort", "none");
      header.setAttribute("tabindex", "0");
      header.addEventListener("click", function () { sortBy(table, header); });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { sortBy(table, header); }
      });
    });
    var controls = document.getElementById(table.getAttribute("data-controls"));
    if (!controls) { return; }
    var search = controls.querySelector("input[type=search]");
    var status = controls.querySelector("select");
    var update = function () { filter(table, search.value, status.value); };
    search.addEventListener("input", update);
    status.addEventListener("change", update);
    controls.hidden = false;
  });
})();
