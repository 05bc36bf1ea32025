// nianbao's page: plain JavaScript, no build step, no outside resources.
// Everything official (fields, sections, tables and their printed layout,
// computed cells, rules) comes from /api/v1/format; every check is the
// server's (/api/v1/report), so no rule lives here. The components —
// uploads (drop), findings list, tables, fill form — are plain functions
// that take a container and data, so another page can reuse them.
"use strict";

const NB = (() => {
  const token = decodeURIComponent(document.querySelector('meta[name="nianbao-token"]').content);
  // the server that keeps reports, when the page is served by one (nianbao
  // serve --org): where 保存到服务器 posts the form; null in the local app
  const target = (() => {
    const m = document.querySelector('meta[name="nianbao-target"]');
    return m && m.content ? JSON.parse(m.content) : null;
  })();
  let decl = null;
  // the current report: {file, prev} (an uploaded file) or {model} (the form)
  const state = { source: null, page: null, dirty: false };

  // ---- small helpers ----
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return e;
  }
  const $ = (sel, root) => (root || document).querySelector(sel);
  let sayTimer = null;
  function say(msg) {
    const s = $("#status");
    s.textContent = "";
    clearTimeout(sayTimer);
    setTimeout(() => { s.textContent = msg; }, 30);
    sayTimer = setTimeout(() => { s.textContent = ""; }, 8000);
  }

  // ---- the API ----
  // snapshot reads a chosen file into memory now: a file changed on disk
  // after it was chosen can no longer be read, so the page keeps what it
  // checked, and says so in Chinese when the file is gone
  async function snapshot(file) {
    if (!file) return file;
    try {
      return new File([await file.arrayBuffer()], file.name);
    } catch (e) {
      throw new Error("无法读取“" + file.name + "”：文件在选择之后被修改、移走或正被其他程序占用；请再选一次这个文件");
    }
  }
  async function call(path, parts, method) {
    const opt = { method: method || "POST", headers: { "X-Nianbao-Token": token } };
    if (parts) {
      const fd = new FormData();
      if (parts.file) fd.append("file", await snapshot(parts.file), parts.file.name);
      if (parts.prev) fd.append("prev", await snapshot(parts.prev), parts.prev.name);
      if (parts.model) fd.append("report", new Blob([JSON.stringify(parts.model)], { type: "application/json" }), "report.json");
      opt.body = fd;
    }
    let resp;
    try {
      resp = await fetch(path, opt);
    } catch (e) {
      throw new Error("无法连接 nianbao：请确认启动 nianbao 的窗口没有关闭");
    }
    return resp;
  }
  async function errorOf(resp) {
    try {
      const j = await resp.json();
      if (j.error) return j.error;
    } catch (e) { /* not JSON */ }
    return "请求失败（" + resp.status + "）";
  }
  function fileName(resp, fallback) {
    const cd = resp.headers.get("Content-Disposition") || "";
    const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) || /filename="([^"]+)"/i.exec(cd);
    return m ? decodeURIComponent(m[1]) : fallback;
  }
  async function download(resp, fallback) {
    const blob = await resp.blob();
    const name = fileName(resp, fallback);
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    say("已下载：" + name);
    return name;
  }
  // report asks the server to read and check the current report
  async function report(source) {
    const resp = await call("api/v1/report", source);
    const page = await resp.json();
    if (page.error) throw new Error(page.error);
    return page;
  }

  // ---- uploads: a label + file input that also takes a dropped file ----
  function dropZones(root) {
    for (const zone of (root || document).querySelectorAll("[data-drop]")) {
      const input = $("#" + zone.dataset.drop);
      zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
      zone.addEventListener("dragleave", () => zone.classList.remove("over"));
      zone.addEventListener("drop", (e) => {
        e.preventDefault();
        zone.classList.remove("over");
        if (e.dataTransfer.files.length) {
          input.files = e.dataTransfer.files;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    }
  }

  // ---- findings: grouped by section as nianbao check prints them ----
  function rule(id) { return decl.rules.find((r) => r.id === id); }
  // verdict is the summary line's look; its words are the server's
  // (page.summary, what nianbao check prints)
  function verdict(c) {
    if (!c.publishable) return "err";
    return c.findings.length ? "warn" : "ok";
  }
  // renderFindings draws page's findings into box; onSelect(key) is called
  // when the person asks to see a finding's cell or field.
  function renderFindings(box, page, onSelect, headingLevel, todo) {
    box.textContent = "";
    const c = page.check;
    const [cls, text] = todo
      ? ["warn", "填报表中还有 " + c.findings.length + " 处需要填写或改写；填好后在“校验”中检查。"]
      : [verdict(c), page.summary];
    box.append(el("p", { class: "summary " + cls }, text));
    const h = "h" + (headingLevel || 3);
    let section = null, list = null;
    c.findings.forEach((f, i) => {
      if (f.section !== section) {
        section = f.section;
        box.append(el(h, { class: "group" }, "【" + section + "】"));
        list = el("ul", { class: "findings" });
        box.append(list);
      }
      const r = rule(f.rule);
      const targets = page.targets[i] || [];
      const li = el("li", { class: "finding " + f.severity },
        el("p", { class: "head" },
          el("span", { class: "badge " + f.severity }, f.class), " ",
          el("code", {}, f.rule), " ",
          f.location && !f.location.startsWith("填写!") ? el("span", { class: "loc" }, f.location) : null),
        el("p", { class: "msg" }, f.message,
          (f.expected || f.actual) && !(f.message.includes(f.expected) && f.message.includes(f.actual))
            ? "（应为：" + (f.expected || "—") + "；实际：" + (f.actual || "—") + "）" : ""),
        r ? el("details", {}, el("summary", {}, "怎么改"), el("p", { class: "doc" }, r.title), el("p", { class: "doc" }, r.doc)) : null);
      if (targets.length && onSelect) {
        li.append(el("button", { type: "button", class: "link", onclick: () => onSelect(targets[0]) }, "查看" + (isCell(targets[0]) ? "单元格" : "位置")));
      }
      list.append(li);
    });
  }
  // renderTodo draws what is still to type in a template (POST
  // /api/v1/todo), grouped as the report is: fields and texts one by one,
  // a table's cells with a note first, then every cell row by row.
  function renderTodo(box, ans, headingLevel) {
    box.textContent = "";
    let fields = 0, texts = 0, cells = 0, gaps = 0;
    for (const g of ans.todo) {
      for (const it of g.items) {
        if (it.kind === "row") { cells += it.cells.length; gaps += it.cells.filter((c) => c.carry).length; }
        else if (it.kind === "field") fields++;
        else texts++;
      }
    }
    const parts = [];
    if (fields) parts.push("基本信息 " + fields + " 项");
    if (texts) parts.push("文字 " + texts + " 部分");
    if (cells) parts.push("表格 " + cells + " 格" + (gaps ? "（其中 " + gaps + " 格应从上年结转，但上年报告中没有可用的数字）" : ""));
    box.append(el("p", { class: "summary " + (gaps ? "err" : "warn") },
      "已生成 " + ans.template + (ans.carried ? "，上年结转 " + ans.carried + " 格已预填" : "") + "。",
      parts.length ? "还需填写：" + parts.join("、") + "。" : "没有需要填写的内容。"));
    const h = "h" + (headingLevel || 4);
    const place = (p) => p ? el("span", { class: "loc" }, p) : null;
    for (const g of ans.todo) {
      box.append(el(h, { class: "group" }, g.group));
      const list = el("ul", { class: "todo" });
      box.append(list);
      if (!g.table) {
        for (const it of g.items) {
          const label = it.kind === "text" && it.label === g.group ? "本部分文字" : it.label;
          list.append(el("li", {}, el("strong", {}, label), " ", place(it.place), it.note ? "：" + it.note : ""));
        }
        continue;
      }
      const all = g.items.flatMap((it) => it.cells);
      for (const c of all.filter((c) => c.note)) {
        list.append(el("li", { class: c.carry ? "carry" : null }, c.carry ? el("span", { class: "badge error" }, "结转") : null,
          c.carry ? " " : null, el("strong", {}, c.name), " ", place(c.place), "：" + c.note));
      }
      const rows = el("ul", { class: "todo rows" });
      for (const it of g.items) {
        rows.append(el("li", {}, el("strong", {}, it.label), "：",
          it.cells.map((c, i) => [i ? "、" : "", c.label, c.place ? el("span", { class: "loc" }, "（" + c.place.replace(/^[^!]*!/, "") + "）") : null])));
      }
      list.append(el("li", {}, el("details", {}, el("summary", {}, "逐行列出需填写的 " + all.length + " 格"), rows)));
    }
  }
  function isCell(key) { return /^t\d/.test(key); }
  // marks: page key → {sev: "error" or "warning", cls: the finding's class
  // as check prints it (错误, 需说明, 提示, 已说明)}; an error wins
  function marks(page) {
    const m = {};
    page.check.findings.forEach((f, i) => {
      for (const k of page.targets[i] || []) {
        if (!m[k] || m[k].sev !== "error") m[k] = { sev: f.severity, cls: f.class };
      }
    });
    return m;
  }

  // ---- tables, drawn from the declared printed layout ----
  function colDecl(t, rowKey, colKey) {
    const row = t.rows.find((r) => r.key === rowKey);
    return row && row.cols.find((c) => c.key === colKey);
  }
  function isComputed(t, key) { return t.computed.some((c) => c.cell === key); }
  // renderTable draws table t of model; editable puts an input in each
  // value cell (computed cells read-only).
  function renderTable(t, model, mk, editable) {
    const data = model.tables[t.id];
    const tbl = el("table", { class: "official" }, el("caption", {}, t.name + "　" + t.caption));
    const body = el("tbody");
    for (const lr of t.layout) {
      const tr = el("tr");
      for (const c of lr) {
        const span = { colspan: c.colspan > 1 ? c.colspan : null, rowspan: c.rowspan > 1 ? c.rowspan : null };
        if (!c.row) {
          tr.append(c.header ? el("th", Object.assign({ scope: c.colspan > 1 ? "colgroup" : "col" }, span), c.text)
            : el("th", Object.assign({ scope: c.rowspan > 1 ? "rowgroup" : "row" }, span), c.text));
          continue;
        }
        const key = c.row + "." + c.col;
        const id = t.id + "." + key;
        const cd = colDecl(t, c.row, c.col);
        const value = data && data.cells[key] ? data.cells[key].value : "";
        const mark = mk[id] ? mk[id].sev : null;
        const td = el("td", Object.assign({ "data-key": id, class: (mark ? "mark-" + mark : "") + (isComputed(t, key) ? " computed" : "") }, span));
        if (editable) {
          td.append(el("input", {
            "data-key": id, value: value, "aria-label": cd ? cd.name : id,
            inputmode: cd && cd.kind === "amount" ? "decimal" : "numeric", autocomplete: "off",
            readonly: isComputed(t, key), "aria-invalid": mark === "error" ? "true" : null,
            title: isComputed(t, key) ? "自动计算" : null,
          }));
        } else {
          td.append(value === "" ? el("span", { class: "blank" }, "空白") : value);
          if (mark) td.append(el("span", { class: "sr" }, "（" + mk[id].cls + "）"));
        }
        tr.append(td);
      }
      body.append(tr);
    }
    tbl.append(body);
    return el("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": t.name + "（可左右滚动）" }, tbl);
  }
  function renderTables(box, model, mk) {
    box.textContent = "";
    for (const t of decl.tables) {
      if (!model.tables[t.id]) {
        box.append(el("p", { class: "missing" }, t.name + "：文件中没有这张表"));
        continue;
      }
      box.append(renderTable(t, model, mk, false));
    }
  }
  // show brings a cell or field into view and flashes it
  function show(root, key) {
    let target = root.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (!target) target = root.querySelector('[data-section="' + CSS.escape(key.split(".")[0]) + '"]');
    if (!target) return;
    target.scrollIntoView({ block: "center", inline: "center" });
    const focusable = target.matches("input,select,textarea") ? target : target.querySelector("input,select,textarea");
    (focusable || target).focus({ preventScroll: true });
    target.classList.add("flash");
    setTimeout(() => target.classList.remove("flash"), 1600);
  }

  // ---- views ----
  const views = ["new", "check", "fill", "preview"];
  function go(view, focus) {
    if (!views.includes(view)) view = "new";
    for (const v of views) $("#view-" + v).hidden = v !== view;
    for (const a of document.querySelectorAll("nav a")) {
      if (a.dataset.view === view) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    if (view === "preview") preview();
    if (view === "fill" && !$("#fill-form").childElementCount) {
      if (target && target.open) openTarget();
      else blankFill();
    }
    if (focus) {
      const h = $("#h-" + view);
      h.setAttribute("tabindex", "-1");
      h.focus();
    }
  }

  // 新建
  function initNew() {
    const form = $("#blank-form");
    const params = (fmt) => {
      const y = $("#blank-year").value.trim();
      const q = new URLSearchParams({ year: y, agency: $("#blank-agency").value.trim() });
      if (fmt) q.set("format", fmt);
      return q;
    };
    const get = async (fmt) => {
      const resp = await call("api/v1/template?" + params(fmt), null, "GET");
      if (!resp.ok) throw new Error(await errorOf(resp));
      return resp;
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      guard(async () => download(await get("xlsx"), "填报表.xlsx"));
    });
    $("#blank-yaml").addEventListener("click", () => guard(async () => download(await get("yaml"), "报告.yaml")));
    $("#blank-fill").addEventListener("click", () => guard(async () => {
      const resp = await get("yaml");
      const file = new File([await resp.blob()], fileName(resp, "报告.yaml"));
      await loadFill({ file: file });
      location.hash = "#fill";
    }));
    const next = $("#next-form");
    const nextTemplate = async () => {
      const file = $("#next-file").files[0];
      if (!file) throw new Error("请先选择上年报告");
      const q = new URLSearchParams({ year: $("#next-year").value.trim() });
      const resp = await call("api/v1/template?" + q, { file: file });
      if (!resp.ok) throw new Error(await errorOf(resp));
      return resp;
    };
    // listTodo shows what is still to type in the template (the server's
    // list, template.ToType) and returns the template as a File
    const listTodo = async (resp) => {
      const tmpl = new File([await resp.clone().blob()], fileName(resp, "填报表.xlsx"));
      const q = new URLSearchParams({ year: $("#next-year").value.trim() });
      const tr = await call("api/v1/todo?" + q, { file: $("#next-file").files[0] });
      if (!tr.ok) throw new Error(await errorOf(tr));
      $("#next-result").hidden = false;
      renderTodo($("#next-findings"), await tr.json(), 4);
      return tmpl;
    };
    next.addEventListener("submit", (e) => {
      e.preventDefault();
      guard(async () => {
        const resp = await nextTemplate();
        await listTodo(resp);
        await download(resp, "填报表.xlsx");
      });
    });
    $("#next-fill").addEventListener("click", () => guard(async () => {
      const tmpl = await listTodo(await nextTemplate());
      await loadFill({ file: tmpl });
      location.hash = "#fill";
    }));
  }

  // guard runs an action and shows its error, if any, in Chinese
  async function guard(fn) {
    try {
      return await fn();
    } catch (e) {
      // our own errors are Chinese sentences; anything else is the page's fault
      const msg = /[\u4e00-\u9fff]/.test(e.message) ? e.message : "页面出了问题，请刷新页面后重试（" + e.message + "）";
      say(msg);
      alertBox(msg);
    }
  }
  function alertBox(msg) {
    const view = document.querySelector(".view:not([hidden])");
    let box = view.querySelector(".alert");
    if (!box) {
      box = el("p", { class: "alert", role: "alert" });
      view.querySelector("h1").after(box);
    }
    box.textContent = msg;
  }
  function clearAlert() {
    for (const b of document.querySelectorAll(".view .alert")) b.remove();
  }

  // 校验
  function initCheck() {
    // the files last chosen; each input is emptied once read, so choosing
    // the same file again (changed in Excel) is a change the page sees
    let chosen = { file: null, prev: null };
    const run = () => guard(async () => {
      const input = $("#check-file"), prevInput = $("#check-prev");
      if (input.files[0]) chosen.file = await snapshot(input.files[0]);
      if (prevInput.files[0]) chosen.prev = await snapshot(prevInput.files[0]);
      input.value = "";
      prevInput.value = "";
      if (!chosen.file) throw new Error("请先选择报告文件");
      clearAlert();
      say("正在校验…");
      const source = { file: chosen.file, prev: chosen.prev };
      const page = await report(source);
      state.source = source;
      state.page = page;
      $("#check-chosen").textContent = "已校验：" + chosen.file.name + (chosen.prev ? "（上年报告：" + chosen.prev.name + "）" : "") +
        "。在 Excel 中改好并保存后，再选一次这个文件（或把它拖到这里），列表随之更新。";
      showCheck(page);
      say(page.summary);
    });
    $("#check-form").addEventListener("submit", (e) => { e.preventDefault(); run(); });
    $("#check-file").addEventListener("change", run);
    $("#check-prev").addEventListener("change", () => { if (chosen.file || $("#check-file").files[0]) run(); });
    $("#check-edit").addEventListener("click", () => { loadModel(state.page.model, state.page); location.hash = "#fill"; });
    $("#check-preview").addEventListener("click", () => { location.hash = "#preview"; });
  }
  function showCheck(page) {
    $("#check-out").hidden = false;
    const tables = $("#check-tables");
    renderFindings($("#check-findings"), page, (key) => show(tables, key), 2);
    renderTables(tables, page.model, marks(page));
  }

  // 填写: the form is generated from the declarations
  function blocksEditor(section, label, blocks) {
    const list = el("ol", { class: "blocks" });
    const box = el("fieldset", { class: "blocks-box", "data-section": section }, el("legend", {}, label), list);
    const add = (b) => {
      const n = list.childElementCount + 1;
      const id = "b-" + section + "-" + Math.random().toString(36).slice(2, 8);
      const kind = el("select", { "aria-label": "第 " + n + " 项的类型", "data-role": "kind" },
        el("option", { value: "p" }, "段落"), el("option", { value: "h" }, "小标题"));
      kind.value = b.heading ? "h" : "p";
      const text = el("textarea", { id: id, rows: b.heading ? 1 : 3, "aria-label": label + " 第 " + n + " 项", "data-role": "text" });
      text.value = b.text;
      const li = el("li", { "data-key": section + "." + (n - 1) }, kind, text,
        el("button", { type: "button", class: "link", onclick: () => { li.remove(); changed(); } }, "删除"));
      list.append(li);
      return text;
    };
    for (const b of blocks || []) add(b);
    box.append(el("p", { class: "actions" },
      el("button", { type: "button", class: "link", onclick: () => { add({ text: "" }).focus(); } }, "添加段落"),
      el("button", { type: "button", class: "link", onclick: () => { add({ heading: true, text: "" }).focus(); } }, "添加小标题")));
    return box;
  }
  function fieldInput(f, value) {
    const id = "f-" + f.key.replace(/\./g, "-");
    let input;
    if (f.kind === "choice") {
      input = el("select", { id: id, "data-field": f.key }, el("option", { value: "" }, "（请选择）"),
        f.choices.map((c) => el("option", { value: c }, c)));
      input.value = value;
      if (value && input.value !== value) { // a value not in the list is kept and shown
        input.append(el("option", { value: value }, value));
        input.value = value;
      }
    } else {
      input = el("input", { id: id, "data-field": f.key, value: value, autocomplete: "off",
        inputmode: f.kind === "year" ? "numeric" : null, placeholder: f.kind === "date" ? "YYYY-MM-DD" : null });
    }
    const notes = [];
    if (f.note) notes.push(f.note);
    if (f.kind === "year") notes.push("四位数字");
    if (f.kind === "date") notes.push("YYYY-MM-DD");
    if (f.default) notes.push("留空则为" + f.default);
    if (notes.length) input.setAttribute("aria-describedby", id + "-note");
    return el("p", { class: "field", "data-key": "meta." + f.key },
      el("label", { for: id }, f.label, f.required ? el("span", { class: "req" }, "（必填）") : null), input,
      notes.length ? el("span", { id: id + "-note", class: "note" }, notes.join("；")) : null);
  }
  function renderFill(model) {
    const form = $("#fill-form");
    form.textContent = "";
    const meta = el("fieldset", { class: "meta", "data-section": "meta" }, el("legend", {}, "基本信息"));
    let group = null;
    for (const f of decl.fields) {
      const p = fieldInput(f, (model.meta[f.key] || {}).value || "");
      if (f.group) {
        if (!group) {
          group = el("fieldset", { class: "contact" }, el("legend", {}, f.group));
          meta.append(group);
        }
        group.append(p);
      } else meta.append(p);
    }
    form.append(meta);
    form.append(blocksEditor("intro", "导语（留空则按基本信息自动生成）", model.intro));
    for (const s of decl.sections) {
      const part = el("section", { class: "part", "data-section": s.key }, el("h2", {}, s.heading));
      const t = s.table && decl.tables.find((x) => x.id === s.table);
      if (t) {
        const m = { tables: {} };
        m.tables[t.id] = model.tables[t.id] || { cells: {} };
        part.append(renderTable(t, m, {}, true));
        const extra = blocksEditor(s.key, "表格前的说明文字（一般不需要）", model.sections[s.key]);
        extra.classList.add("extra");
        part.append(extra);
      } else {
        part.append(blocksEditor(s.key, s.heading + " 正文", model.sections[s.key]));
      }
      form.append(part);
    }
  }
  // collect reads the form back into the model the server takes
  function collect() {
    const form = $("#fill-form");
    const m = { format: decl.year, meta: {}, intro: [], sections: {}, tables: {} };
    for (const i of form.querySelectorAll("[data-field]")) m.meta[i.dataset.field] = { value: i.value };
    const blocks = (box) => [...box.querySelectorAll(":scope > ol > li")].map((li) => ({
      heading: li.querySelector('[data-role="kind"]').value === "h",
      text: li.querySelector('[data-role="text"]').value,
    }));
    for (const box of form.querySelectorAll("fieldset.blocks-box")) {
      const key = box.dataset.section;
      if (key === "intro") m.intro = blocks(box);
      else m.sections[key] = blocks(box);
    }
    for (const t of decl.tables) m.tables[t.id] = { cells: {} };
    for (const i of form.querySelectorAll("td input[data-key]")) {
      const [t, row, col] = i.dataset.key.split(".");
      m.tables[t].cells[row + "." + col] = { value: i.value };
    }
    return m;
  }
  // recompute fills the computed cells that depend on the cell just typed
  // in, as the workbook's formulas do: the sum of the parts that are
  // numbers; blank while all parts are blank. A report loaded as it was
  // keeps its totals, so a wrong total in a file is shown, not hidden.
  function recompute(changedKey) {
    if (!changedKey) return;
    const form = $("#fill-form");
    const [tid, ...rest] = changedKey.split(".");
    const t = decl.tables.find((x) => x.id === tid);
    if (!t) return;
    const cell = (key) => form.querySelector('input[data-key="' + CSS.escape(t.id + "." + key) + '"]');
    const touched = new Set([rest.join(".")]);
    for (const c of t.computed) {
      if (!c.terms.some((term) => touched.has(term))) continue;
      let sum = 0, any = false, scale = 0;
      for (const term of c.terms) {
        const v = (cell(term) || {}).value;
        const s = v === undefined ? "" : v.trim();
        if (!/^\d+(\.\d+)?$/.test(s)) continue;
        const frac = s.includes(".") ? s.split(".")[1].length : 0;
        scale = Math.max(scale, frac);
        sum += Number(s);
        any = true;
      }
      const out = cell(c.cell);
      if (out) out.value = any ? (scale ? String(Number(sum.toFixed(scale))) : String(sum)) : "";
      touched.add(c.cell);
    }
  }
  let timer = null, seq = 0;
  function changed(e) {
    state.dirty = true;
    if (e && e.target && e.target.dataset) recompute(e.target.dataset.key);
    state.source = { model: collect() };
    clearTimeout(timer);
    timer = setTimeout(liveCheck, 500);
  }
  async function liveCheck() {
    const mine = ++seq;
    const source = { model: collect() };
    const page = await guard(() => report(source));
    if (!page || mine !== seq) return; // a newer check is on its way
    state.source = source;
    state.page = page;
    showFillFindings(page);
  }
  function showFillFindings(page) {
    const form = $("#fill-form");
    renderFindings($("#fill-findings"), page, (key) => show(form, key), 3);
    const mk = marks(page);
    // blocks are numbered as the server reads them: empty ones are left out
    for (const box of form.querySelectorAll("fieldset.blocks-box")) {
      let k = 0;
      for (const li of box.querySelectorAll(":scope > ol > li")) {
        if (li.querySelector('[data-role="text"]').value.trim()) li.dataset.key = box.dataset.section + "." + k++;
        else delete li.dataset.key;
      }
    }
    for (const e of form.querySelectorAll(".mark-error,.mark-warning")) e.classList.remove("mark-error", "mark-warning");
    for (const i of form.querySelectorAll('[aria-invalid="true"]')) i.removeAttribute("aria-invalid");
    for (const [key, { sev }] of Object.entries(mk)) {
      const target = form.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (!target) continue;
      const cell = target.closest("td,p.field,li") || target;
      cell.classList.add("mark-" + sev);
      const input = cell.querySelector("input,select,textarea");
      if (input && sev === "error") input.setAttribute("aria-invalid", "true");
    }
  }
  function loadModel(model, page) {
    renderFill(model);
    state.source = { model: collect() };
    state.dirty = false;
    if (page) showFillFindings(page);
    else liveCheck();
  }
  async function loadFill(source) {
    const page = await report(source);
    loadModel(page.model, null);
    liveCheck();
  }
  // openTarget starts the form from the server's file (the latest version
  // saved there, or the unit's blank template)
  let opening = false;
  function openTarget() {
    if (opening) return;
    opening = true;
    guard(async () => {
      let resp;
      try {
        resp = await fetch(target.open);
      } catch (e) {
        throw new Error("无法连接服务器：请检查网络后刷新页面");
      }
      if (!resp.ok) throw new Error(await errorOf(resp));
      await loadFill({ file: new File([await resp.blob()], fileName(resp, "报告.xlsx")) });
    }).finally(() => {
      opening = false;
      if (!$("#fill-form").childElementCount) blankFill();
    });
  }
  function blankFill() {
    loadModel({ meta: {}, intro: [], sections: {}, tables: {} }, null);
  }
  function initFill() {
    const form = $("#fill-form");
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", (e) => e.preventDefault());
    const save = (to) => guard(async () => {
      const resp = await call("api/v1/import?to=" + to, { model: collect() });
      if (!resp.ok) throw new Error(await errorOf(resp));
      await download(resp, "报告." + to);
      state.dirty = false;
    });
    if (target) initTarget();
    $("#fill-save-xlsx").addEventListener("click", () => save("xlsx"));
    $("#fill-save-yaml").addEventListener("click", () => save("yaml"));
    $("#fill-open").addEventListener("change", (e) => guard(async () => {
      const file = await snapshot(e.target.files[0]);
      e.target.value = ""; // the same file, saved again, is a new choice
      if (file) await loadFill({ file: file });
    }));
    window.addEventListener("beforeunload", (e) => {
      if (state.dirty) { e.preventDefault(); e.returnValue = ""; }
    });
  }

  // 保存到服务器: the form's report goes to the server's own upload path
  // (a new version, checked there); the server says whether it can be
  // submitted now, and where
  function initTarget() {
    $("#fill-target").hidden = false;
    $("#fill-target-label").textContent = "保存到服务器：" + target.label + "。每次保存为新的一版（草稿），服务器校验后列出问题。";
    if (target.back) {
      const back = $("#fill-back");
      back.href = target.back;
      back.hidden = false;
    }
    const submit = $("#fill-submit");
    const answer = async (resp) => {
      let ans = {};
      try { ans = await resp.json(); } catch (e) { /* not JSON */ }
      if (!resp.ok) throw new Error(ans.error || "服务器未能保存（" + resp.status + "）");
      $("#fill-saved").textContent = ans.message;
      say(ans.message);
      submit.dataset.to = ans.submit || "";
      submit.hidden = !ans.submit;
      return ans;
    };
    $("#fill-save-server").addEventListener("click", () => guard(async () => {
      clearAlert();
      say("正在保存到服务器…");
      await answer(await call(target.save, { model: collect() }));
      state.dirty = false;
    }));
    submit.addEventListener("click", () => guard(async () => {
      clearAlert();
      if (state.dirty) throw new Error("保存之后又有修改：请先“保存到服务器”，再提交");
      await answer(await call(submit.dataset.to, null));
    }));
  }

  // 预览与下载
  async function render(format, draft) {
    return call("api/v1/render?format=" + format + (draft ? "&draft=1" : ""), state.source);
  }
  async function preview() {
    const status = $("#preview-status"), bar = $("#downloads"), frame = $("#preview-frame");
    bar.textContent = "";
    if (!state.source) {
      status.className = "summary";
      status.textContent = "还没有报告：请先在“校验”中选择报告文件，或在“填写”中填写。";
      frame.hidden = true;
      return;
    }
    await guard(async () => {
      // the verdict is check's own (page.summary); the gate is the server's
      const page = await report(state.source);
      const draft = !page.check.publishable;
      const resp = await render("html", draft);
      if (!resp.ok) throw new Error(await errorOf(resp));
      frame.hidden = false;
      frame.srcdoc = await resp.text();
      status.className = "summary " + verdict(page.check);
      status.textContent = page.summary + (draft
        ? "下面只提供标注“" + decl.draft + "”的草稿，仅供内部传阅；请在“校验”或“填写”中改正后再下载正式发布稿。"
        : "下面是发布稿的样子，可以下载各种格式。");
      const label = draft ? "下载草稿 " : "下载 ";
      for (const f of decl.formats.filter((f) => !f.extra)) {
        bar.append(el("button", { type: "button", "data-format": f.name, onclick: () => fetchFile(f.name, draft) }, label + f.title));
      }
      bar.append(el("button", { type: "button", "data-format": "zip", class: "secondary", onclick: () => fetchFile("zip", draft) },
        label + "以上全部（zip）"));
      for (const f of decl.formats.filter((f) => f.extra)) {
        bar.append(el("button", { type: "button", "data-format": f.name, class: "secondary", onclick: () => fetchFile(f.name, draft) }, label + f.title));
      }
    });
  }
  function fetchFile(format, draft) {
    return guard(async () => {
      const resp = await render(format, draft);
      if (!resp.ok) throw new Error(await errorOf(resp));
      await download(resp, "报告." + format);
    });
  }

  async function start() {
    dropZones();
    const resp = await fetch("api/v1/format");
    decl = await resp.json();
    // the files the readers take, from the declaration (template.Inputs)
    for (const i of document.querySelectorAll('input[type="file"]')) i.accept = decl.accept;
    for (const e of document.querySelectorAll('[data-decl="reads"]')) e.textContent = decl.reads;
    initNew();
    initCheck();
    initFill();
    window.addEventListener("hashchange", () => go(location.hash.slice(1), true));
    go(location.hash.slice(1), false);
    document.body.dataset.ready = "1";
  }
  return { start, state, renderFindings, renderTodo, renderTable, renderTables, marks, collect };
})();

document.addEventListener("DOMContentLoaded", () => NB.start());
