// Progressive enhancement of the ask form: while the citizen types the subject or the text,
// fetch published Q&A that look similar and list them above the personal details. Without
// script the form's first submit shows the same list (the server does it).
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-similar-url");
  var box = document.getElementById("similar-live");
  var list = box.querySelector("ul");
  var fields = form.querySelectorAll("[data-similar]");
  var timer = null;
  var last = "";
  function text() {
    var parts = [];
    for (var i = 0; i < fields.length; i++) { parts.push(fields[i].value); }
    return parts.join(" ").trim().slice(0, 500);
  }
  function show(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = item.subject;
      li.appendChild(a);
      var small = document.createElement("small");
      small.textContent = "（" + item.org + "）";
      li.appendChild(document.createTextNode(" "));
      li.appendChild(small);
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
    if (items.length) { confirmed(); }
  }
  // The citizen has seen the similar answers here: submitting now means "ask anyway", so the
  // server need not show them again.
  function confirmed() {
    if (!form.querySelector("input[name=confirm]")) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirm";
      input.value = "1";
      form.appendChild(input);
    }
    var button = form.querySelector("button[type=submit]");
    var label = form.getAttribute("data-confirm-label");
    if (button && label) { button.textContent = label; }
  }
  function lookup() {
    var q = text();
    if (q === last) { return; }
    last = q;
    if (q.length < 2) { show([]); return; }
    fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) { if (q === last) { show(data.items || []); } })
      .catch(function () {});
  }
  for (var i = 0; i < fields.length; i++) {
    fields[i].addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 300);
    });
  }
})();
