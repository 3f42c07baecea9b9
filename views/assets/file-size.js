/* global document, HTMLInputElement */
// A file chosen above an upload's limit is refused in the page, with the form's own message: the
// server refuses it before reading the body (and the browser, still sending, may show only a
// broken connection). Without this script the server's refusal stands as before.
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.dataset.maxBytes) return;
    var max = Number(input.dataset.maxBytes);
    var file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > max ? input.dataset.tooLarge || '' : '');
    input.reportValidity();
  });
})();
