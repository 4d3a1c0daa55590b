// The gate page: posts each passage to POST /api/v1/checkins (the same path gate devices use),
// with the session cookie and the CSRF token, and shows allow/deny in large type.
(function () {
  "use strict";
  var form = document.getElementById("gate-form");
  if (!form) return;
  var labels = JSON.parse(document.getElementById("gate-i18n").textContent);
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  var result = document.getElementById("gate-result");
  var errorBox = document.getElementById("gate-error");
  var site = document.getElementById("gate-site");
  var who = document.getElementById("gate-who");
  var temperature = document.getElementById("gate-temperature");
  var remembered = window.localStorage.getItem("zg-gate-site");
  if (remembered && site.querySelector('option[value="' + remembered + '"]')) site.value = remembered;
  site.addEventListener("change", function () { window.localStorage.setItem("zg-gate-site", site.value); });

  function uuid4() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function looksLikeIdNumber(value) {
    return /^[0-9]{17}[0-9Xx]$/.test(value.replace(/\s/g, ""));
  }

  function show(body) {
    errorBox.hidden = true;
    result.hidden = false;
    result.className = "gate-result " + (body.decision === "allow" ? "gate-allow" : "gate-deny");
    result.setAttribute("data-decision", body.decision);
    document.getElementById("gate-decision").textContent = labels[body.decision] || body.decision;
    var status = body.status ? labels.status.replace("%(status)s", labels.statuses[body.status] || body.status) : "";
    document.getElementById("gate-person").textContent = [body.person || "", status].filter(Boolean).join(" · ");
    var list = document.getElementById("gate-reasons");
    list.textContent = "";
    body.reasons.forEach(function (reason) {
      var li = document.createElement("li");
      li.textContent = reason;
      list.appendChild(li);
    });
    // On a phone the answer lies below the form: bring it, reasons and all, into view.
    result.scrollIntoView({ block: "nearest" });
  }

  function fail(message) {
    result.hidden = true;
    errorBox.hidden = false;
    errorBox.textContent = message;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = who.value.trim();
    var direction = form.querySelector("input[name=direction]:checked").value;
    var payload = {
      client_id: uuid4(),
      site_id: parseInt(site.value, 10),
      checked_at: new Date().toISOString(),
      direction: direction,
      temperature: temperature.value === "" ? null : parseFloat(temperature.value)
    };
    if (looksLikeIdNumber(value)) payload.id_number = value; else payload.card_code = value;
    fetch("/api/v1/checkins", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (answer.ok) {
        show(answer.body);
        who.value = "";
        temperature.value = "";
        who.focus();
      } else {
        fail(answer.body.message || labels.offline);
      }
    }).catch(function () { fail(labels.offline); });
  });
})();
