// The page's only script: pick or drop an image, POST it to /api/predict and /api/gradcam, draw the answer.
"use strict";

const $ = (id) => document.getElementById(id);
let shown = [];  // blob: URLs to release when the next image comes

function percent(p) { return (100 * p).toFixed(1) + " %"; }

async function describeModel() {
  try {
    const response = await fetch("/api/model");
    const m = await response.json();
    const accuracy = m.test_accuracy === null ? "test accuracy unknown (serve with --test-data DIR to measure it)"
      : "test accuracy " + percent(m.test_accuracy);
    $("model").textContent = `Model ${m.name} (${m.arch}), input ${m.input[0]}×${m.input[1]}×${m.input[2]}, ` +
      `classes ${m.classes.join(", ")}, ${accuracy}; checkpoint ${m.checkpoint}, epoch ${m.epoch}; ` +
      (m.calibrated ? `probabilities calibrated (temperature ${m.temperature.toFixed(3)}).` : "probabilities not calibrated.");
  } catch (e) {
    $("model").textContent = "The model description could not be loaded.";
  }
}

function showError(message) {
  const error = $("error");
  error.textContent = message;
  error.hidden = !message;
}

function drawBars(prediction) {
  const bars = $("bars");
  bars.replaceChildren();
  for (const [name, p] of Object.entries(prediction.probabilities)) {
    const row = document.createElement("div");
    row.className = "bar" + (name === prediction.class ? " best" : "");
    row.dataset.class = name;
    const label = document.createElement("span");
    label.textContent = name;
    const track = document.createElement("div");
    track.className = "track";
    const fill = document.createElement("div");
    fill.className = "fill";
    fill.style.width = (100 * p).toFixed(2) + "%";  // CSSOM, which the Content-Security-Policy allows
    track.append(fill);
    const value = document.createElement("span");
    value.className = "value";
    value.textContent = percent(p);
    row.append(label, track, value);
    bars.append(row);
  }
  $("class").textContent = prediction.class;
  $("heatmap-class").textContent = prediction.class;
}

async function post(path, file) {
  const form = new FormData();
  form.append("image", file, file.name);
  const response = await fetch(path, { method: "POST", body: form });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try { message = (await response.json()).error; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

async function classify(file) {
  showError("");
  shown.forEach(URL.revokeObjectURL);
  shown = [];
  $("result").hidden = true;
  try {
    const prediction = await (await post("/api/predict", file)).json();
    const upload = URL.createObjectURL(file);
    shown.push(upload);
    $("upload").src = upload;
    drawBars(prediction);
    $("result").hidden = false;
    const heatmap = URL.createObjectURL(await (await post("/api/gradcam", file)).blob());
    shown.push(heatmap);
    $("heatmap").src = heatmap;
  } catch (e) {
    showError(e.message);
  }
}

function setUp() {
  const drop = $("drop");
  $("file").addEventListener("change", (e) => { if (e.target.files.length) classify(e.target.files[0]); });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) classify(e.dataTransfer.files[0]);
  });
  describeModel();
}

setUp();
