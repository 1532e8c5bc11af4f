// Small enhancements; every page works without them.
// After a form comes back with errors, move the focus to the error summary (as GOV.UK
// does), so a screen reader announces it and the keyboard starts there.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-zr-error-summary]");
  if (summary) { summary.focus(); }
});
