// Encore's web UI: live fragments, and actions sent to the API with the UI's header (see _auth.py).
"use strict";

function flash(message) {
  const box = document.getElementById("flash");
  if (!box) return;
  box.textContent = message;
  box.hidden = !message;
}

async function problem(response) {
  try {
    const body = await response.json();
    if (body.message) return body.message;
    if (typeof body.detail === "string") return body.detail;
    return JSON.stringify(body.detail);
  } catch (_) {
    return `HTTP ${response.status}`;
  }
}

function signInAgain(response) {
  if (response.status === 401 || response.status === 403) {
    window.location.assign("/ui/login?next=" + encodeURIComponent(window.location.pathname + window.location.search));
    return true;
  }
  return false;
}

async function send(url, method, body) {
  const options = { method, headers: { "X-Encore-UI": "1" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  return fetch(url, options);
}

// <tbody data-refresh="/ui/runs/rows" data-interval="1000">: the fragment is fetched again and swapped in,
// until it holds an element with data-final="true" (a run that has finished).
function refresh(container) {
  const interval = Number(container.dataset.interval || 1500);
  const tick = async () => {
    if (!document.hidden) {
      try {
        const response = await fetch(container.dataset.refresh, { credentials: "same-origin" });
        if (signInAgain(response)) return;
        if (response.ok) container.innerHTML = await response.text();
      } catch (_) { /* the server restarts; the next tick tries again */ }
    }
    if (!container.querySelector('[data-final="true"]')) window.setTimeout(tick, interval);
  };
  if (!container.querySelector('[data-final="true"]')) window.setTimeout(tick, interval);
}

// <button data-action="/v1/..." data-method="POST" [data-body='{...}'] [data-confirm="..."]>
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-action]");
  if (!button) return;
  event.preventDefault();
  if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
  button.disabled = true;
  const response = await send(button.dataset.action, button.dataset.method || "POST", button.dataset.body);
  if (signInAgain(response)) return;
  if (response.ok) {
    window.location.reload();
  } else {
    flash(await problem(response));
    button.disabled = false;
  }
});

// <form class="json-form" data-url="/v1/..." [data-then="/ui/runs/{id}"]>: fields as a JSON body;
// a field marked data-json holds JSON itself.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.json-form");
  if (!form) return;
  event.preventDefault();
  const body = {};
  for (const field of form.elements) {
    if (!field.name) continue;
    if (field.hasAttribute("data-json")) {
      try {
        body[field.name] = JSON.parse(field.value || "{}");
      } catch (_) {
        flash(`${field.name}: not valid JSON`);
        return;
      }
    } else {
      body[field.name] = field.value;
    }
  }
  const response = await send(form.dataset.url, "POST", body);
  if (signInAgain(response)) return;
  if (!response.ok) {
    flash(await problem(response));
    return;
  }
  const created = await response.json();
  const then = form.dataset.then;
  if (then) window.location.assign(then.replace("{id}", encodeURIComponent(created.id)));
  else window.location.reload();
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-refresh]").forEach(refresh);
});
