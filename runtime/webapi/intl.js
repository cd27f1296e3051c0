// Intl: NumberFormat, DateTimeFormat and Collator over Go formatters that
// format as en-US (see runtime/intl). Evaluated once per runtime with the
// natives numberFormat, dateTimeFormat and collator (locales, options) →
// handle, and canonicalLocales(locales) → string[]. A handle has format,
// formatToParts and resolvedOptions (compare for a collator).
(function (native) {
  "use strict";

  const handles = new WeakMap();
  const recordOf = (self, type, method) => {
    const h = typeof self === "object" && self !== null ? handles.get(self) : undefined;
    if (!h || h.type !== type) {
      throw new TypeError(`Method Intl.${type}.prototype.${method} called on incompatible receiver ${String(self)}`);
    }
    return h;
  };
  const handleOf = (self, type, method) => recordOf(self, type, method).native;

  // define makes a constructor callable with or without new, as the Intl
  // constructors are, with a bound getter for `getter` ("format" or
  // "compare") and plain methods for the rest.
  const define = (type, make, getter, methods) => {
    const Ctor = {
      [type]: function (locales, options) {
        if (new.target === undefined) return new Ctor(locales, options);
        handles.set(this, { type, native: make(locales, options) });
      },
    }[type];
    Object.defineProperty(Ctor.prototype, getter, {
      configurable: true,
      get() {
        const rec = recordOf(this, type, getter);
        if (!rec.bound) {
          const h = rec.native;
          rec.bound = { [getter]: (...args) => h[getter](...args) }[getter];
        }
        return rec.bound;
      },
    });
    for (const m of methods) {
      Object.defineProperty(Ctor.prototype, m, {
        configurable: true,
        writable: true,
        value: { [m](...args) { return handleOf(this, type, m)[m](...args); } }[m],
      });
    }
    Object.defineProperty(Ctor.prototype, Symbol.toStringTag, { value: `Intl.${type}`, configurable: true });
    Object.defineProperty(Ctor, "supportedLocalesOf", {
      configurable: true,
      writable: true,
      value: function supportedLocalesOf(locales) { return native.canonicalLocales(locales); },
    });
    return Ctor;
  };

  const Intl = {};
  const members = {
    NumberFormat: define("NumberFormat", native.numberFormat, "format", ["formatToParts", "resolvedOptions"]),
    DateTimeFormat: define("DateTimeFormat", native.dateTimeFormat, "format", ["formatToParts", "resolvedOptions"]),
    Collator: define("Collator", native.collator, "compare", ["resolvedOptions"]),
    getCanonicalLocales: function getCanonicalLocales(locales) { return native.canonicalLocales(locales); },
  };
  for (const [name, value] of Object.entries(members)) {
    Object.defineProperty(Intl, name, { value, configurable: true, writable: true });
  }
  Object.defineProperty(Intl, Symbol.toStringTag, { value: "Intl", configurable: true });
  return { Intl };
});
