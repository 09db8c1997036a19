// A field marked autofocus gets the focus while the page is read, not at the browser's next frame.
// Chromium applies autofocus when it next paints, after the load event, and in a page it does not
// paint (a tab in the background, a headless browser) not at all: an office member who starts typing
// the account name at once would type into nothing.
(function () {
  "use strict";
  var field = document.querySelector("[autofocus]");
  if (field && document.activeElement === document.body) { field.focus(); }
})();
