// node:querystring: parse and stringify URL query strings as Node does
// ("+" is a space, repeated keys become arrays, at most maxKeys pairs).
// Evaluated once per runtime with { Buffer }.
(function (deps) {
  "use strict";
  const { Buffer } = deps;

  const escape = (str) => {
    if (typeof str !== "string") str = typeof str === "object" ? String(str) : str + "";
    try {
      return encodeURIComponent(str);
    } catch {
      const e = new URIError("URI malformed");
      e.code = "ERR_INVALID_URI";
      throw e;
    }
  };

  const hexValue = (c) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);
  // unescapeBuffer decodes %XX escapes byte by byte; malformed ones stay.
  const unescapeBuffer = (s, decodeSpaces) => {
    const src = Buffer.from(String(s));
    const out = Buffer.alloc(src.length);
    let n = 0;
    for (let i = 0; i < src.length; i++) {
      const c = src[i];
      if (c === 43 /* + */ && decodeSpaces) {
        out[n++] = 32;
      } else if (c === 37 /* % */ && i + 2 < src.length && hexValue(src[i + 1]) >= 0 && hexValue(src[i + 2]) >= 0) {
        out[n++] = hexValue(src[i + 1]) * 16 + hexValue(src[i + 2]);
        i += 2;
      } else {
        out[n++] = c;
      }
    }
    return out.subarray(0, n);
  };
  const unescape = (s, decodeSpaces) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return unescapeBuffer(s, decodeSpaces).toString();
    }
  };

  const qs = { escape, unescape, unescapeBuffer };

  function parse(str, sep, eq, options) {
    const obj = Object.create(null);
    if (typeof str !== "string" || str.length === 0) return obj;
    sep = sep ? String(sep) : "&";
    eq = eq ? String(eq) : "=";
    const maxKeys = options && typeof options.maxKeys === "number" ? options.maxKeys : 1000;
    const decode = options && typeof options.decodeURIComponent === "function" ? options.decodeURIComponent : qs.unescape;
    const decodeStr = (s) => {
      if (s.indexOf("+") !== -1) s = s.replace(/\+/g, " ");
      try {
        return decode(s);
      } catch {
        return qs.unescape(s, true);
      }
    };
    let pairs = str.split(sep);
    if (maxKeys > 0 && pairs.length > maxKeys) pairs = pairs.slice(0, maxKeys);
    for (const pair of pairs) {
      if (pair.length === 0) continue;
      const idx = pair.indexOf(eq);
      const key = decodeStr(idx >= 0 ? pair.slice(0, idx) : pair);
      const value = idx >= 0 ? decodeStr(pair.slice(idx + eq.length)) : "";
      if (key in obj) {
        const cur = obj[key];
        if (Array.isArray(cur)) cur.push(value);
        else obj[key] = [cur, value];
      } else {
        obj[key] = value;
      }
    }
    return obj;
  }

  const primitive = (v) => {
    switch (typeof v) {
      case "string":
        return v;
      case "number":
        return Number.isFinite(v) ? "" + v : "";
      case "bigint":
        return "" + v;
      case "boolean":
        return v ? "true" : "false";
    }
    return "";
  };

  function stringify(obj, sep, eq, options) {
    sep = sep || "&";
    eq = eq || "=";
    const encode = options && typeof options.encodeURIComponent === "function" ? options.encodeURIComponent : qs.escape;
    if (obj === null || typeof obj !== "object") return "";
    const fields = [];
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      const ks = encode(primitive(k)) + eq;
      if (Array.isArray(v)) {
        for (const item of v) fields.push(ks + encode(primitive(item)));
      } else {
        fields.push(ks + encode(primitive(v)));
      }
    }
    return fields.join(sep);
  }

  return Object.assign(qs, { parse, decode: parse, stringify, encode: stringify });
});
