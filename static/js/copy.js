// Copy buttons: <button data-copy="element-id" data-copied="Copied" hidden>. Without
// JavaScript the button stays hidden and the value (selected on focus) is copied by hand.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target) { return; }
    target.addEventListener("focus", function () { target.select(); });
    if (!navigator.clipboard) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value || target.textContent).then(function () {
        button.textContent = button.dataset.copied;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
});
