// ImageHub's only script: the Pull button (shows the rate limiter's answer) and upload niceties.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  function setText(id, text) {
    const el = $(id);
    if (el) el.textContent = text;
  }

  // ---- Pull: download through the rate limiter and show its headers ----
  let countdown = null;

  function showLimits(response) {
    const limit = response.headers.get("x-ratelimit-limit");
    const remaining = response.headers.get("x-ratelimit-remaining");
    const reset = response.headers.get("x-ratelimit-reset");
    setText("ratelimit-limit", limit ?? "–");
    setText("ratelimit-remaining", remaining ?? "–");
    setText("ratelimit-reset", reset !== null ? reset + " s" : "–");
    const meter = $("ratelimit-meter");
    if (meter && limit !== null && remaining !== null && Number(limit) > 0) {
      const share = Math.max(0, Math.min(1, Number(remaining) / Number(limit)));
      meter.style.width = (share * 100).toFixed(1) + "%";
      meter.className = share === 0 ? "is-empty" : share < 0.2 ? "is-low" : "";
    }
    return { limit, remaining, reset, degraded: response.headers.get("x-ratelimit-status") === "degraded" };
  }

  function message(text, kind) {
    const el = $("ratelimit-message");
    if (!el) return;
    el.textContent = text;
    el.className = "ratelimit-message small " + (kind ? "is-" + kind : "muted");
    el.dataset.state = kind || "";
  }

  function startCountdown(seconds) {
    clearInterval(countdown);
    let left = seconds;
    const tick = () => {
      if (left <= 0) {
        clearInterval(countdown);
        message("You can pull again.", "ok");
        return;
      }
      message("Limit reached — try again in " + left + " s", "limited");
      left -= 1;
    };
    tick();
    countdown = setInterval(tick, 1000);
  }

  async function problemDetail(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || response.statusText;
    } catch {
      return response.statusText;
    }
  }

  async function pull(button) {
    button.disabled = true;
    setText("pull-status", "Pulling…");
    try {
      const response = await fetch(button.dataset.pullUrl, { credentials: "same-origin", cache: "no-store" });
      const limits = showLimits(response);
      if (response.status === 429) {
        const retryAfter = parseInt(response.headers.get("retry-after") ?? limits.reset ?? "60", 10);
        startCountdown(Number.isFinite(retryAfter) ? retryAfter : 60);
        setText("pull-status", "");
        return;
      }
      if (!response.ok) {
        clearInterval(countdown);
        message("Pull failed: " + (await problemDetail(response)), "limited");
        setText("pull-status", "");
        return;
      }
      const blob = await response.blob();
      clearInterval(countdown);
      if (limits.degraded) {
        message("Pulled. The rate limiter could not reach the quota service, so this pull was not counted (degraded).", "degraded");
      } else if (limits.limit === null) {
        message("Pulled. No rate-limit headers: the app was reached directly, not through the sidecar.", "");
      } else {
        message("Pulled. " + limits.remaining + " of " + limits.limit + " pulls left this minute.", "ok");
      }
      setText("pull-status", "Downloaded " + blob.size.toLocaleString() + " bytes.");
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = button.dataset.downloadName || "image";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (error) {
      message("Pull failed: " + error.message, "limited");
      setText("pull-status", "");
    } finally {
      button.disabled = false;
    }
  }

  // ---- Upload: show the chosen file; drag and drop onto the zone ----
  function wireUpload() {
    const input = $("upload-file");
    const label = $("upload-file-label");
    const zone = $("dropzone");
    if (!input || !label || !zone) return;
    input.addEventListener("change", () => {
      if (input.files && input.files.length) label.textContent = input.files[0].name;
    });
    ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.add("is-dragging");
    }));
    ["dragleave", "drop"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("is-dragging")));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        input.dispatchEvent(new Event("change"));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const button = $("pull-button");
    if (button) button.addEventListener("click", () => pull(button));
    wireUpload();
    document.querySelectorAll("form[data-confirm]").forEach((form) =>
      form.addEventListener("submit", (e) => {
        if (!window.confirm(form.dataset.confirm)) e.preventDefault();
      }));
  });
})();
