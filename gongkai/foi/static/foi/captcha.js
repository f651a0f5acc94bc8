// "看不清，换一题": swap the CAPTCHA in place, keeping what was typed. Without JavaScript the
// link reloads a blank form, which is why the note beside it exists (hidden here).
(function () {
  "use strict";
  var link = document.querySelector("a[data-refresh-url]");
  if (!link || !window.fetch) { return; }
  var note = document.querySelector("[data-nojs-note]");
  if (note) { note.hidden = true; }
  link.addEventListener("click", function (event) {
    var form = link.closest("form");
    var image = form && form.querySelector("img.captcha");
    var key = form && form.querySelector('input[name="captcha_0"]');
    var answer = form && form.querySelector('input[name="captcha_1"]');
    if (!image || !key || !answer) { return; }
    event.preventDefault();
    fetch(link.getAttribute("data-refresh-url"), {
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      image.src = data.image_url.replace(/\/$/, "@2/");
      key.value = data.key;
      answer.value = "";
      answer.focus();
    }).catch(function () {
      window.location.href = link.href;
    });
  });
}());
