// The JS half of HTMLRewriter: the class the Worker sees, the content
// tokens its handlers get (Element, EndTag, Text, Comment, Doctype,
// DocumentEnd) and the loop that pulls the body through the Go rewriter.
// Evaluated once per isolate with the Go natives of htmlrewriter.go:
//
//   checkSelector(s)               throws a TypeError for a selector the
//                                  rewriter does not support
//   newRewriter(selectors, kinds)  the Go rewriter of one transform()
//
// A token's edits follow lol-html: content put before a token keeps the
// order of the calls, content put after it is in reverse call order (each
// call inserts right after the token), and a replacement overwrites the
// one before it.
(function (native) {
  "use strict";

  const encoder = new TextEncoder();
  const escapeText = (s) => s.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
  // content is inserted content as the output takes it: a string, or a
  // promise of one for a ReadableStream or a Response (read once the
  // handlers are done, before the token is written).
  const content = (value, options) => {
    const html = options && options.html;
    if (value instanceof Response) value = value.body === null ? "" : value.body;
    if (value instanceof ReadableStream) {
      return new Response(value).text().then((s) => (html ? s : escapeText(s)));
    }
    const s = String(value);
    return html ? s : escapeText(s);
  };
  const isPromise = (v) => v !== null && typeof v === "object" && typeof v.then === "function";
  // settle waits for the streamed content of edits, if any, then calls
  // commit; it returns a promise only when it has to wait.
  const settle = (edits, commit) => {
    const waits = [];
    for (const e of edits) {
      for (const list of [e.before, e.after]) {
        list.forEach((v, i) => {
          if (isPromise(v)) waits.push(v.then((s) => void (list[i] = s)));
        });
      }
      if (isPromise(e.replacement)) waits.push(e.replacement.then((s) => void (e.replacement = s)));
    }
    if (waits.length === 0) return commit();
    return Promise.all(waits).then(commit);
  };

  const state = Symbol("state");
  const hide = (obj, s) => Object.defineProperty(obj, state, { value: s });
  const live = (token) => {
    const s = token[state];
    if (!s.live) {
      throw new TypeError(
        "This content token is no longer valid: content tokens are only valid while their handler runs.",
      );
    }
    return s;
  };

  // Edits are what handlers did to one token.
  class Edits {
    constructor(before = "", after = "", removed = false) {
      this.before = before === "" ? [] : [before];
      this.after = after === "" ? [] : [after];
      this.removed = removed;
      this.replacement = "";
    }
    replace(s) {
      this.removed = true;
      this.replacement = s;
    }
    record(into, prefix = "") {
      into[prefix + "before"] = this.before.join("");
      into[prefix + "after"] = this.after.join("");
      into[prefix + "removed"] = this.removed;
      into[prefix + "replacement"] = this.replacement;
      return into;
    }
  }

  const forbiddenInTagName = /[\s/>\0]/;
  const checkTagName = (name) => {
    if (name === "") throw new TypeError("A tag name cannot be empty.");
    if (!/^[A-Za-z]/.test(name)) throw new TypeError(`The tag name "${name}" does not start with an ASCII letter.`);
    if (forbiddenInTagName.test(name)) throw new TypeError(`The tag name "${name}" has a forbidden character.`);
  };
  const checkAttributeName = (name) => {
    if (name === "") throw new TypeError("An attribute name cannot be empty.");
    if (/[\s/>="'\0]/.test(name)) throw new TypeError(`The attribute name "${name}" has a forbidden character.`);
  };

  class Element {
    constructor(ev) {
      hide(this, {
        live: true,
        ev,
        tag: undefined,
        attrs: ev.attrs.map(([n, v]) => [n, v]),
        attrsChanged: false,
        start: new Edits(),
        end: new Edits(),
        removeContent: false,
        selfClosingSyntax: ev.selfClosing,
        endHandlers: [],
      });
    }
    get tagName() {
      const s = live(this);
      return s.tag === undefined ? s.ev.tag : s.tag.toLowerCase();
    }
    set tagName(name) {
      const s = live(this);
      name = String(name);
      checkTagName(name);
      s.tag = name;
    }
    get attributes() {
      return live(this)
        .attrs.map(([n, v]) => [n, v])
        [Symbol.iterator]();
    }
    get namespaceURI() {
      return live(this).ev.namespaceURI;
    }
    get selfClosing() {
      return live(this).ev.selfClosing;
    }
    get canHaveContent() {
      return live(this).ev.canHaveContent;
    }
    get removed() {
      return live(this).start.removed;
    }
    getAttribute(name) {
      name = String(name).toLowerCase();
      const a = live(this).attrs.find(([n]) => n === name);
      return a === undefined ? null : a[1];
    }
    hasAttribute(name) {
      name = String(name).toLowerCase();
      return live(this).attrs.some(([n]) => n === name);
    }
    setAttribute(name, value) {
      const s = live(this);
      name = String(name);
      checkAttributeName(name);
      name = name.toLowerCase();
      value = String(value);
      const a = s.attrs.find(([n]) => n === name);
      if (a === undefined) s.attrs.push([name, value]);
      else a[1] = value;
      s.attrsChanged = true;
      return this;
    }
    removeAttribute(name) {
      const s = live(this);
      name = String(name).toLowerCase();
      const i = s.attrs.findIndex(([n]) => n === name);
      if (i >= 0) {
        s.attrs.splice(i, 1);
        s.attrsChanged = true;
      }
      return this;
    }
    before(value, options) {
      live(this).start.before.push(content(value, options));
      return this;
    }
    after(value, options) {
      const s = live(this);
      (s.ev.canHaveContent ? s.end : s.start).after.unshift(content(value, options));
      return this;
    }
    prepend(value, options) {
      const s = live(this);
      if (s.ev.canHaveContent) {
        s.selfClosingSyntax = false;
        s.start.after.unshift(content(value, options));
      }
      return this;
    }
    append(value, options) {
      const s = live(this);
      if (s.ev.canHaveContent) {
        s.selfClosingSyntax = false;
        s.end.before.push(content(value, options));
      }
      return this;
    }
    setInnerContent(value, options) {
      const s = live(this);
      if (s.ev.canHaveContent) {
        s.selfClosingSyntax = false;
        dropContent(s);
        s.start.after.unshift(content(value, options));
      }
      return this;
    }
    replace(value, options) {
      const s = live(this);
      s.start.replace(content(value, options));
      if (s.ev.canHaveContent) {
        dropContent(s);
        s.end.removed = true;
      }
      return this;
    }
    remove() {
      const s = live(this);
      s.start.removed = true;
      if (s.ev.canHaveContent) {
        dropContent(s);
        s.end.removed = true;
      }
      return this;
    }
    removeAndKeepContent() {
      const s = live(this);
      s.start.removed = true;
      if (s.ev.canHaveContent) s.end.removed = true;
      return this;
    }
    onEndTag(handler) {
      const s = live(this);
      if (!s.ev.canHaveContent) throw new TypeError(`<${s.ev.tag}> cannot have content, so it has no end tag.`);
      if (typeof handler !== "function") throw new TypeError("onEndTag() needs a function.");
      s.endHandlers.push(handler);
    }
    get [Symbol.toStringTag]() {
      return "Element";
    }
  }
  const dropContent = (s) => {
    s.start.after = [];
    s.end.before = [];
    s.removeContent = true;
  };
  const elementRecord = (s) => {
    const r = s.start.record({});
    s.end.record(r, "end");
    if (s.tag !== undefined) r.tagName = s.tag;
    if (s.attrsChanged) r.attrs = s.attrs;
    r.selfClosing = s.selfClosingSyntax;
    r.removeContent = s.removeContent;
    r.endHandlers = s.endHandlers.length > 0;
    return r;
  };

  class EndTag {
    constructor(ev) {
      hide(this, { live: true, name: ev.name, renamed: false, edits: new Edits(ev.before, ev.after, ev.removed) });
    }
    get name() {
      return live(this).name.toLowerCase();
    }
    set name(name) {
      const s = live(this);
      name = String(name);
      checkTagName(name);
      s.name = name;
      s.renamed = true;
    }
    before(value, options) {
      live(this).edits.before.push(content(value, options));
      return this;
    }
    after(value, options) {
      live(this).edits.after.unshift(content(value, options));
      return this;
    }
    remove() {
      live(this).edits.removed = true;
      return this;
    }
    get [Symbol.toStringTag]() {
      return "EndTag";
    }
  }

  // Text and Comment share the edits a content token allows.
  class Chunk {
    constructor(ev) {
      hide(this, { live: true, ev, edits: new Edits() });
    }
    get removed() {
      return live(this).edits.removed;
    }
    before(value, options) {
      live(this).edits.before.push(content(value, options));
      return this;
    }
    after(value, options) {
      live(this).edits.after.unshift(content(value, options));
      return this;
    }
    replace(value, options) {
      live(this).edits.replace(content(value, options));
      return this;
    }
    remove() {
      live(this).edits.removed = true;
      return this;
    }
  }

  class Text extends Chunk {
    get text() {
      return live(this).ev.text;
    }
    get lastInTextNode() {
      return live(this).ev.last;
    }
    get [Symbol.toStringTag]() {
      return "Text";
    }
  }

  class Comment extends Chunk {
    get text() {
      const s = live(this);
      return s.text === undefined ? s.ev.text : s.text;
    }
    set text(value) {
      const s = live(this);
      value = String(value);
      if (value.includes("-->")) throw new TypeError('A comment cannot contain "-->".');
      s.text = value;
    }
    get [Symbol.toStringTag]() {
      return "Comment";
    }
  }

  class Doctype {
    constructor(ev) {
      hide(this, { live: true, ev });
    }
    get name() {
      return live(this).ev.name;
    }
    get publicId() {
      return live(this).ev.publicId;
    }
    get systemId() {
      return live(this).ev.systemId;
    }
    get [Symbol.toStringTag]() {
      return "Doctype";
    }
  }

  class DocumentEnd {
    constructor() {
      hide(this, { live: true, append: [] });
    }
    append(value, options) {
      live(this).append.push(content(value, options));
      return this;
    }
    get [Symbol.toStringTag]() {
      return "DocumentEnd";
    }
  }

  // runHandlers calls each handler with the token in turn, waiting for
  // the ones that return a promise; then finish. It returns a promise only
  // when a handler did.
  const runHandlers = (handlers, token, finish) => {
    let i = 0;
    const step = () => {
      while (i < handlers.length) {
        const r = handlers[i++](token);
        if (isPromise(r)) return Promise.resolve(r).then(step);
      }
      token[state].live = false;
      return finish();
    };
    return step();
  };

  // method returns handlers[name] as a function of the token, called as
  // a method of handlers, or null.
  const method = (handlers, name) => {
    const f = handlers[name];
    if (f === undefined || f === null) return null;
    if (typeof f !== "function") throw new TypeError(`The ${name} handler must be a function.`);
    return (token) => f.call(handlers, token);
  };

  const NULL_BODY = [101, 204, 205, 304];
  const flushSize = 16 << 10;

  class HTMLRewriter {
    #regs = [];
    #docs = [];

    on(selector, handlers) {
      selector = String(selector);
      native.checkSelector(selector);
      if (handlers === null || typeof handlers !== "object") throw new TypeError("on() needs an object of handlers.");
      this.#regs.push({
        selector,
        element: method(handlers, "element"),
        comments: method(handlers, "comments"),
        text: method(handlers, "text"),
      });
      return this;
    }

    onDocument(handlers) {
      if (handlers === null || typeof handlers !== "object") {
        throw new TypeError("onDocument() needs an object of handlers.");
      }
      this.#docs.push({
        doctype: method(handlers, "doctype"),
        comments: method(handlers, "comments"),
        text: method(handlers, "text"),
        end: method(handlers, "end"),
      });
      return this;
    }

    transform(response) {
      if (!(response instanceof Response)) throw new TypeError("transform() needs a Response.");
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      const init = { status: response.status, statusText: response.statusText, headers };
      if (NULL_BODY.includes(response.status)) {
        if (response.webSocket) init.webSocket = response.webSocket;
        return new Response(null, init);
      }
      const regs = this.#regs.slice();
      const docs = {};
      for (const kind of ["doctype", "comments", "text", "end"]) {
        docs[kind] = this.#docs.map((d) => d[kind]).filter((f) => f !== null);
      }
      const kinds = regs.map((r) => [r.element !== null, r.comments !== null, r.text !== null]);
      kinds.push([docs.doctype.length > 0, docs.comments.length > 0, docs.text.length > 0, docs.end.length > 0]);
      const rw = native.newRewriter(
        regs.map((r) => r.selector),
        kinds,
      );
      const source = response.body;
      let reader = null;
      let inputDone = source === null;
      const endHandlers = new Map(); // element id → its onEndTag handlers

      const dispatch = (ev) => {
        switch (ev.kind) {
          case "element": {
            const el = new Element(ev);
            return runHandlers(
              ev.handlers.map((i) => regs[i].element),
              el,
              () => {
                const s = el[state];
                if (s.endHandlers.length > 0) endHandlers.set(ev.id, s.endHandlers);
                return settle([s.start, s.end], () => rw.commit(elementRecord(s)));
              },
            );
          }
          case "endTag": {
            const list = endHandlers.get(ev.id) || [];
            endHandlers.delete(ev.id);
            const end = new EndTag(ev);
            return runHandlers(list, end, () => {
              const s = end[state];
              return settle([s.edits], () => {
                const r = s.edits.record({});
                if (s.renamed) r.name = s.name;
                rw.commit(r);
              });
            });
          }
          case "text":
          case "comments":
          case "comment": {
            const kind = ev.kind === "text" ? "text" : "comments";
            const token = kind === "text" ? new Text(ev) : new Comment(ev);
            const handlers = (ev.doc ? docs[kind] : []).concat(ev.handlers.map((i) => regs[i][kind]));
            return runHandlers(handlers, token, () => {
              const s = token[state];
              return settle([s.edits], () => {
                const r = s.edits.record({});
                if (s.text !== undefined) r.text = s.text;
                rw.commit(r);
              });
            });
          }
          case "doctype":
            return runHandlers(docs.doctype, new Doctype(ev), () => rw.commit(null));
          case "end": {
            const end = new DocumentEnd();
            return runHandlers(docs.end, end, () => {
              const e = new Edits();
              e.before = end[state].append;
              return settle([e], () => rw.commit({ append: e.before.join("") }));
            });
          }
        }
        throw new Error(`HTMLRewriter: unknown event ${ev.kind}`);
      };

      const body = new ReadableStream({
        async pull(controller) {
          try {
            for (;;) {
              const ev = rw.next();
              if (ev !== null) {
                const p = dispatch(ev);
                if (p !== undefined) await p;
                // A large chunk of input need not be rewritten whole
                // before its first bytes go out.
                if (rw.buffered >= flushSize) {
                  controller.enqueue(rw.take());
                  return;
                }
                continue;
              }
              const out = rw.take();
              if (out !== null) controller.enqueue(out);
              if (rw.done) {
                rw.close();
                controller.close();
                return;
              }
              if (out !== null) return;
              if (inputDone) {
                rw.end();
                continue;
              }
              if (reader === null) reader = source.getReader();
              const { done, value } = await reader.read();
              if (done) {
                inputDone = true;
                rw.end();
              } else {
                rw.write(typeof value === "string" ? encoder.encode(value) : value);
              }
            }
          } catch (e) {
            rw.close();
            if (reader !== null) reader.cancel(e).catch(() => {});
            throw e;
          }
        },
        cancel(reason) {
          rw.close();
          if (reader !== null) return reader.cancel(reason);
          if (source !== null) return source.cancel(reason);
          return undefined;
        },
      });
      return new Response(body, init);
    }

    get [Symbol.toStringTag]() {
      return "HTMLRewriter";
    }
  }

  return { HTMLRewriter };
});
