/*
 * Upload pages: drop or pick a folder, files or a .zip; see the tree with
 * sizes; upload with progress and a Cancel button; show the server's errors.
 * Folder paths are sent in a `paths` field parallel to `files`.
 * Without this script the form still posts as a plain multipart form.
 */
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;

  var limits = {
    upload: Number(form.dataset.limitUpload) || Infinity,
    file: Number(form.dataset.limitFile) || Infinity,
    files: Number(form.dataset.limitFiles) || Infinity
  };
  var dropzone = document.getElementById("dropzone");
  var folderInput = document.getElementById("pick-folder");
  var filesInput = document.getElementById("id_files");
  var archiveInput = document.getElementById("id_archive");
  var selectionBox = document.getElementById("upload-selection");
  var summary = document.getElementById("selection-summary");
  var treeList = document.getElementById("upload-tree");
  var errorsBox = document.getElementById("upload-errors");
  var progressBox = document.getElementById("upload-progress");
  var progressBar = document.getElementById("upload-progress-bar");
  var progressText = document.getElementById("upload-progress-text");
  var cancelButton = document.getElementById("upload-cancel");
  var submitButton = document.getElementById("upload-submit");

  var selection = { files: [], archive: null };
  var xhr = null;
  var sentAll = false;
  var uploadId = null;
  var pollTimer = null;
  var POLL_MS = 700;

  form.classList.add("upload-js");
  document.documentElement.classList.add("js");
  Array.prototype.forEach.call(form.querySelectorAll(".js-only"), function (el) { el.hidden = false; });

  /* ---- helpers ----------------------------------------------------------- */

  function humanSize(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB";
    if (bytes >= 1024) return (bytes / 1024).toFixed(1).replace(/\.0$/, "") + " KB";
    return bytes + " B";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isZip(file) {
    return /\.zip$/i.test(file.name) || file.type === "application/zip";
  }

  function cleanPath(path) {
    return String(path || "").replace(/\\/g, "/").replace(/^\/+/, "");
  }

  function relativePath(file) {
    return cleanPath(file.webkitRelativePath || file.name);
  }

  function newUploadId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* ---- selection ----------------------------------------------------------- */

  function addFiles(entries) {
    if (entries.length === 1 && isZip(entries[0].file) && !selection.files.length) {
      setArchive(entries[0].file);
      return;
    }
    selection.archive = null;
    var known = {};
    selection.files.forEach(function (item, index) { known[item.path] = index; });
    entries.forEach(function (entry) {
      var path = cleanPath(entry.path);
      if (!path) return;
      if (path in known) selection.files[known[path]] = { path: path, file: entry.file };
      else {
        known[path] = selection.files.length;
        selection.files.push({ path: path, file: entry.file });
      }
    });
    selection.files.sort(function (a, b) { return a.path.localeCompare(b.path, undefined, { numeric: true }); });
    render();
  }

  function setArchive(file) {
    selection = { files: [], archive: file };
    render();
  }

  function clearSelection() {
    selection = { files: [], archive: null };
    [folderInput, filesInput, archiveInput].forEach(function (input) { if (input) input.value = ""; });
    render();
  }

  function problems() {
    var found = [];
    var items = selection.archive ? [{ path: selection.archive.name, file: selection.archive }] : selection.files;
    var total = 0;
    items.forEach(function (item) {
      total += item.file.size;
      if (!selection.archive && item.file.size > limits.file) {
        found.push("“" + item.path + "” is " + humanSize(item.file.size) + "; files may be at most " + humanSize(limits.file) + ".");
      }
    });
    if (!selection.archive && items.length > limits.files) {
      found.push("That is " + items.length + " files; a wiki may have at most " + limits.files + ".");
    }
    if (total > limits.upload) {
      found.push("The upload is " + humanSize(total) + "; at most " + humanSize(limits.upload) + " can be uploaded at once.");
    }
    return found;
  }

  function render() {
    treeList.replaceChildren();
    var items = selection.archive ? [{ path: selection.archive.name, file: selection.archive }] : selection.files;
    selectionBox.hidden = items.length === 0;
    var total = 0;
    items.forEach(function (item, index) {
      total += item.file.size;
      var li = el("li");
      li.dataset.index = String(index);
      var name = el("span", "path", item.path);
      if (selection.archive) name.textContent = item.path + " (zip archive, unpacked on the server)";
      li.appendChild(name);
      li.appendChild(el("span", "size", humanSize(item.file.size)));
      if (!selection.archive && item.file.size > limits.file) {
        li.appendChild(el("span", "problem", "Larger than the " + humanSize(limits.file) + " limit per file"));
      }
      var bar = el("progress");
      bar.max = 100;
      bar.value = 0;
      bar.hidden = true;
      bar.setAttribute("aria-label", "Upload progress of " + item.path);
      li.appendChild(bar);
      treeList.appendChild(li);
    });
    var count = items.length;
    summary.textContent = selection.archive
      ? "1 zip archive, " + humanSize(total)
      : count + " file" + (count === 1 ? "" : "s") + ", " + humanSize(total);
    showErrors([]);
  }

  /* ---- drag and drop (folders via webkitGetAsEntry) ----------------------- */

  function readAllEntries(reader) {
    return new Promise(function (resolve, reject) {
      var all = [];
      (function next() {
        reader.readEntries(function (batch) {
          if (!batch.length) { resolve(all); return; }
          all = all.concat(Array.prototype.slice.call(batch));
          next();
        }, reject);
      })();
    });
  }

  function walk(entry) {
    if (entry.isFile) {
      return new Promise(function (resolve, reject) {
        entry.file(function (file) {
          resolve([{ path: cleanPath(entry.fullPath || file.name), file: file }]);
        }, reject);
      });
    }
    if (entry.isDirectory) {
      return readAllEntries(entry.createReader()).then(function (children) {
        return Promise.all(children.map(walk)).then(function (lists) {
          return [].concat.apply([], lists);
        });
      });
    }
    return Promise.resolve([]);
  }

  function filesFromDrop(dataTransfer) {
    var items = dataTransfer.items ? Array.prototype.slice.call(dataTransfer.items) : [];
    var entries = items
      .filter(function (item) { return item.kind === "file"; })
      .map(function (item) { return item.webkitGetAsEntry ? item.webkitGetAsEntry() : null; });
    if (entries.length && entries.every(Boolean)) {
      return Promise.all(entries.map(walk)).then(function (lists) { return [].concat.apply([], lists); });
    }
    var files = Array.prototype.slice.call(dataTransfer.files || []);
    return Promise.resolve(files.map(function (file) { return { path: relativePath(file), file: file }; }));
  }

  ["dragenter", "dragover"].forEach(function (type) {
    dropzone.addEventListener(type, function (event) {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
      dropzone.classList.add("is-over");
    });
  });
  dropzone.addEventListener("dragleave", function (event) {
    if (!dropzone.contains(event.relatedTarget)) dropzone.classList.remove("is-over");
  });
  dropzone.addEventListener("drop", function (event) {
    event.preventDefault();
    dropzone.classList.remove("is-over");
    filesFromDrop(event.dataTransfer).then(addFiles, function () {
      showErrors(["The dropped folder could not be read. Try the “Choose a folder” button."]);
    });
  });

  /* ---- pickers -------------------------------------------------------------- */

  function fromInput(input) {
    return Array.prototype.map.call(input.files || [], function (file) {
      return { path: relativePath(file), file: file };
    });
  }
  if (folderInput) folderInput.addEventListener("change", function () { addFiles(fromInput(folderInput)); });
  filesInput.addEventListener("change", function () { addFiles(fromInput(filesInput)); });
  archiveInput.addEventListener("change", function () {
    if (archiveInput.files && archiveInput.files[0]) setArchive(archiveInput.files[0]);
  });
  document.getElementById("selection-clear").addEventListener("click", clearSelection);

  /* ---- errors ---------------------------------------------------------------- */

  function showErrors(messages, files) {
    errorsBox.replaceChildren();
    errorsBox.hidden = !messages.length;
    messages.forEach(function (message) { errorsBox.appendChild(el("p", "", message)); });
    if (files && files.length) {
      var list = el("ul");
      files.forEach(function (name) {
        var li = el("li");
        li.appendChild(el("code", "", name));
        list.appendChild(li);
      });
      errorsBox.appendChild(list);
    }
    if (messages.length) errorsBox.focus();
  }

  function serverError(request) {
    var body = null;
    try { body = JSON.parse(request.responseText); } catch (e) { body = null; }
    if (!body || !body.error) {
      if (request.status === 413) return { messages: ["The upload is larger than the server accepts."] };
      if (request.status === 401 || request.status === 403) {
        return { messages: ["You are not allowed to upload here. Are you still signed in? Reload the page and try again."] };
      }
      return { messages: ["The upload failed (HTTP " + request.status + "). Please try again."] };
    }
    var messages = [body.error];
    var files = [];
    var details = body.details || {};
    Object.keys(details).forEach(function (field) {
      var values = [].concat(details[field]);
      if (field === "file" || field === "files") files = files.concat(values);
      else if (field !== "rule") {
        values.forEach(function (value) {
          var text = typeof value === "string" ? value : (value && value.message) || "";
          if (text && text !== body.error) messages.push(field === "__all__" ? text : field + ": " + text);
        });
      }
    });
    return { messages: messages, files: files };
  }

  /* ---- upload ------------------------------------------------------------------ */

  function buildBody() {
    var data = new FormData(form);
    data.delete("files");
    data.delete("archive");
    data.delete("paths");
    data.delete("upload_id");
    data.append("upload_id", uploadId);
    /* The API takes a .zip as the single entry of `files`. */
    if (selection.archive) data.append("files", selection.archive, selection.archive.name);
    selection.files.forEach(function (item) {
      data.append("files", item.file, item.path.split("/").pop());
      data.append("paths", item.path);
    });
    return data;
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function setBusy(busy) {
    progressBox.hidden = !busy;
    submitButton.disabled = busy;
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function showProgress(loaded, total) {
    var percent = total ? Math.floor((loaded / total) * 100) : 0;
    progressBar.value = percent;
    progressText.textContent = percent + "%";
    /* Files go in order, so each file's share follows from the bytes sent. */
    var items = selection.archive ? [selection.archive] : selection.files.map(function (i) { return i.file; });
    var payload = items.reduce(function (sum, f) { return sum + f.size; }, 0) || 1;
    var sent = loaded * (payload / (total || payload));
    var offset = 0;
    Array.prototype.forEach.call(treeList.children, function (li, index) {
      var size = items[index] ? items[index].size : 0;
      var bar = li.querySelector("progress");
      bar.hidden = false;
      bar.value = size ? Math.max(0, Math.min(100, ((sent - offset) / size) * 100)) : (sent >= offset ? 100 : 0);
      offset += size;
    });
  }

  /* ---- progress on the server (rendering runs there, maybe in the background) ---- */

  function showServerProgress(job) {
    if (job.total > 0) {
      var percent = Math.floor((job.done / job.total) * 100);
      progressBar.value = Math.max(0, Math.min(100, percent));
    } else {
      progressBar.removeAttribute("value"); /* indeterminate until the server counts */
    }
    if (job.message) progressText.textContent = job.message;
  }

  function stopPolling() {
    if (pollTimer) window.clearTimeout(pollTimer);
    pollTimer = null;
  }

  /* Ask the server how far it is. `onDone` gets the job once it finished;
     without it (the upload request is still open) only the bar moves. */
  function poll(statusUrl, onDone) {
    stopPolling();
    var request = new XMLHttpRequest();
    request.open("GET", statusUrl);
    request.setRequestHeader("Accept", "application/json");
    request.addEventListener("load", function () {
      var job = null;
      try { job = JSON.parse(request.responseText); } catch (e) { job = null; }
      if (request.status === 200 && job) {
        if (job.status === "succeeded" || job.status === "failed") {
          if (onDone) { onDone(job); return; }
        } else {
          showServerProgress(job);
        }
      } else if (onDone && request.status !== 404) {
        onDone({ status: "failed", error: { error: "The progress of the upload could not be read (HTTP " + request.status + "). Reload your wikis to see whether it arrived." } });
        return;
      }
      if (onDone || xhr) pollTimer = window.setTimeout(function () { poll(statusUrl, onDone); }, POLL_MS);
    });
    request.addEventListener("error", function () {
      pollTimer = window.setTimeout(function () { poll(statusUrl, onDone); }, POLL_MS * 3);
    });
    request.send();
  }

  function finished(target) {
    stopPolling();
    progressBar.value = 100;
    progressText.textContent = "Done. Opening the wiki…";
    window.location.assign(target || "/wikis/");
  }

  function jobDone(job) {
    stopPolling();
    if (job.status === "succeeded") {
      finished((job.result && job.result.url) || null);
      return;
    }
    setBusy(false);
    var error = job.error || {};
    var files = (error.details && error.details.file) || [];
    showErrors([error.error || "The upload failed. Nothing was stored."], files);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (xhr) return;
    if (!selection.files.length && !selection.archive) {
      showErrors(["Choose files, a folder or a .zip archive first."]);
      return;
    }
    var found = problems();
    if (found.length) { showErrors(found); return; }
    showErrors([]);
    uploadId = newUploadId();
    xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.endpoint);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    sentAll = false;
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) showProgress(e.loaded, e.total);
    });
    xhr.upload.addEventListener("load", function () {
      sentAll = true;
      progressBar.removeAttribute("value");
      progressText.textContent = "Processing on the server…";
      poll("/api/uploads/" + encodeURIComponent(uploadId), null);
    });
    xhr.addEventListener("load", function () {
      var request = xhr;
      xhr = null;
      stopPolling();
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
      if (request.status === 202 && body.job) {
        /* Rendered by a background task: follow it until it is done. */
        showServerProgress(body.job);
        if (body.job.status === "succeeded" || body.job.status === "failed") jobDone(body.job);
        else poll(body.job.status_url, jobDone);
        return;
      }
      if (request.status >= 200 && request.status < 300) {
        var target = body.url || (body.wiki && body.wiki.url) ||
          ((body.slug || (body.wiki && body.wiki.slug)) ? "/wikis/" + encodeURIComponent(body.slug || body.wiki.slug) + "/" : null);
        finished(target);
        return;
      }
      setBusy(false);
      var error = serverError(request);
      showErrors(error.messages, error.files);
    });
    xhr.addEventListener("error", function () {
      xhr = null;
      stopPolling();
      setBusy(false);
      showErrors(["The connection failed during the upload. Nothing was stored; please try again."]);
    });
    xhr.addEventListener("abort", function () {
      xhr = null;
      stopPolling();
      setBusy(false);
      showErrors([sentAll
        ? "Upload cancelled. The server had already received every file, so the wiki may still have been saved."
        : "Upload cancelled. Nothing was stored."]);
    });
    setBusy(true);
    showProgress(0, 1);
    xhr.send(buildBody());
  });

  cancelButton.addEventListener("click", function () {
    if (xhr) xhr.abort();
  });
})();
