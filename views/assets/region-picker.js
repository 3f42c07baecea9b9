/* global document, fetch, HTMLInputElement, setTimeout, clearTimeout  */
// The region picker's suggestions: as the user types Chinese characters or a code into a region
// field, the app's own /regions/suggest fills the field's list; a choice reads "江苏省 苏州市 昆山市（320583）",
// which the server reads back to its code. Without this script the field still takes a name or a
// code, and an ambiguous name comes back with its candidates to choose from.
(function () {
  'use strict';
  var timers = new WeakMap();
  function fill(input) {
    var list = document.getElementById(input.getAttribute('list'));
    var text = input.value.trim();
    if (!list || text === '' || /（\d+）$/.test(text)) return;
    fetch('/regions/suggest?q=' + encodeURIComponent(text), {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(function (res) {
        return res.ok ? res.json() : [];
      })
      .then(function (items) {
        list.textContent = '';
        items.forEach(function (r) {
          var option = document.createElement('option');
          option.value = r.fullName + '（' + r.code + '）';
          list.appendChild(option);
        });
      })
      .catch(function () {});
  }
  document.addEventListener('input', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute('data-region-picker')) return;
    clearTimeout(timers.get(input));
    timers.set(
      input,
      setTimeout(function () {
        fill(input);
      }, 200),
    );
  });
})();
