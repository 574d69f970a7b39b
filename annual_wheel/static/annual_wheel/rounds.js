/* A round keeps working through a dropped connection: an answer htmx could not send is kept in
   localStorage, shown as waiting, put back into its form after a reload, and sent again when the
   browser is online. (A photo cannot be kept this way; it is taken again.) */
(function () {
  "use strict";
  var PREFIX = "qms-round-answer:";

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function formFor(url) {
    var forms = document.querySelectorAll("form[data-offline]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].getAttribute("action") === url) return forms[i];
    }
    return null;
  }

  function mark(form, pending) {
    var item = form.closest("li");
    if (item) item.classList.toggle("qms-question--pending", pending);
    var status = form.querySelector("[data-offline-status]");
    if (status && pending) status.textContent = status.dataset.pendingText;
  }

  function keep(form) {
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken") data[key] = value;
    });
    var url = form.getAttribute("action");
    localStorage.setItem(PREFIX + url, JSON.stringify({ url: url, data: data }));
    mark(form, true);
  }

  function pending() {
    var entries = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        try {
          entries.push({ key: key, entry: JSON.parse(localStorage.getItem(key)) });
        } catch (e) {
          localStorage.removeItem(key);
        }
      }
    }
    return entries;
  }

  function restore(form, data) {
    Object.keys(data).forEach(function (name) {
      form.querySelectorAll("[name='" + name + "']").forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") {
          field.checked = field.value === data[name];
        } else if (field.type !== "file") {
          field.value = data[name];
        }
      });
    });
    mark(form, true);
  }

  function send(item) {
    var body = new FormData();
    Object.keys(item.entry.data).forEach(function (name) {
      body.append(name, item.entry.data[name]);
    });
    return fetch(item.entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "HX-Request": "true" },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      localStorage.removeItem(item.key);
      var form = formFor(item.entry.url);
      var row = form && form.closest("li");
      if (row && window.htmx) {
        window.htmx.swap(row, html, { swapStyle: "outerHTML" });
      }
    });
  }

  function resend() {
    if (!navigator.onLine) return;
    pending().forEach(function (item) {
      send(item).catch(function () { /* still offline: kept for the next try */ });
    });
  }

  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest("form[data-offline]");
    if (form) keep(form);
  });
  window.addEventListener("online", resend);
  document.addEventListener("DOMContentLoaded", function () {
    pending().forEach(function (item) {
      var form = formFor(item.entry.url);
      if (form) restore(form, item.entry.data);
    });
    resend();
  });
})();
