// The plain-JS half of the "alchemy" module: the Secret and Scope classes,
// alchemy.run, destroy, the environment readers and the `this` of resource
// handlers. Everything that touches the engine or converts values is native
// (jsapi, Go). Evaluated once per runtime with the natives object; returns
// the library object Go reads its classes and helpers from.
(function (native) {
  "use strict";

  const ResourceKind = Symbol.for("alchemy::ResourceKind");
  const ResourceID = Symbol.for("alchemy::ResourceID");
  const ResourceFQN = Symbol.for("alchemy::ResourceFQN");
  const ResourceScope = Symbol.for("alchemy::ResourceScope");
  const ResourceSeq = Symbol.for("alchemy::ResourceSeq");
  const KIND_SCOPE = "alchemy::Scope";

  // ---------------------------------------------------------------------------------------------
  // Secrets

  let anonymous = 0;

  // A Secret keeps its plaintext in a non-enumerable property, so that
  // console.log, JSON.stringify and object spreads never show it.
  class Secret {
    constructor(unencrypted, name) {
      this.type = "secret";
      this.name = name === undefined ? `alchemy:anonymous-secret-${anonymous++}` : String(name);
      Object.defineProperty(this, "unencrypted", { value: unencrypted, enumerable: false });
    }
    static wrap(value) {
      return value instanceof Secret ? value : new Secret(value);
    }
    static unwrap(value) {
      return value instanceof Secret ? value.unencrypted : value;
    }
    toString() {
      return `Secret(${this.name})`;
    }
    toJSON() {
      return { type: "secret", name: this.name };
    }
  }

  function isSecret(value) {
    return value instanceof Secret || (value !== null && typeof value === "object" && value.type === "secret");
  }

  function secret(unencrypted, name) {
    if (unencrypted === undefined) {
      throw new Error("Secret cannot be undefined");
    }
    return new Secret(unencrypted, name);
  }

  // envReader makes alchemy.env / alchemy.secret.env: NAME as a property or
  // (name, fallback?, message?) as a call.
  function envReader(make) {
    const read = (name, fallback, message) => {
      const v = native.env(String(name));
      if (v !== undefined) return make(v, String(name));
      if (fallback !== undefined) return make(fallback, String(name));
      throw new Error(message ?? `Environment variable ${name} is not set`);
    };
    return new Proxy(function env() {}, {
      get(target, key) {
        if (typeof key !== "string") return Reflect.get(target, key);
        if (key === "then") return undefined;
        return read(key);
      },
      has(target, key) {
        return typeof key === "string" && native.env(key) !== undefined;
      },
      apply(target, self, args) {
        return read(args[0], args[1], args[2]);
      },
    });
  }

  const env = envReader((v) => v);
  secret.env = envReader((v, name) => {
    if (typeof v !== "string") throw new TypeError(`Environment variable ${name} must be a string`);
    return new Secret(v, name);
  });

  // ---------------------------------------------------------------------------------------------
  // Scopes

  const token = Symbol("scope");

  // A Scope is a node of the scope tree. Its fields come from Go when the
  // scope object is made; what needs the engine goes through natives.
  class Scope {
    static KIND = KIND_SCOPE;
    #info;
    constructor(key, info) {
      if (key !== token) {
        throw new TypeError("Scope cannot be constructed directly: use alchemy() or alchemy.run()");
      }
      this.#info = info;
    }
    static get current() {
      const s = native.current();
      if (s === undefined) throw new Error("Not running within an Alchemy Scope");
      return s;
    }
    static get root() {
      return Scope.current.root;
    }
    static getScope() {
      return native.current();
    }
    get name() {
      return this.#info.name;
    }
    get scopeName() {
      return this.#info.name;
    }
    get appName() {
      return this.#info.appName;
    }
    get stage() {
      return this.#info.stage;
    }
    get phase() {
      return this.#info.phase;
    }
    get chain() {
      return this.#info.chain.slice();
    }
    get local() {
      return this.#info.local;
    }
    get watch() {
      return this.#info.watch;
    }
    get quiet() {
      return this.#info.quiet;
    }
    get force() {
      return this.#info.force;
    }
    get adopt() {
      return this.#info.adopt;
    }
    get password() {
      return this.#info.password;
    }
    get rootDir() {
      return this.#info.rootDir;
    }
    get dotAlchemy() {
      return this.#info.dotAlchemy;
    }
    get destroyStrategy() {
      return this.#info.destroyStrategy;
    }
    get parent() {
      return native.parent(this);
    }
    get root() {
      let s = this;
      for (let p = s.parent; p !== undefined; p = p.parent) s = p;
      return s;
    }
    fqn(id) {
      return [...this.#info.chain, id].join("/");
    }
    createPhysicalName(id, delimiter = "-", maxLength) {
      const chain = this.#info.chain;
      const parts = [this.#info.appName, ...chain.slice(2), id, this.#info.stage];
      let name = parts.map((p) => String(p).replace(/[^a-z0-9_-]/gi, delimiter)).join(delimiter);
      if (maxLength !== undefined && name.length > maxLength) name = name.slice(0, maxLength);
      return name;
    }
    has(id, kind) {
      return native.has(this, String(id), kind === undefined ? "" : String(kind));
    }
    get(key) {
      return native.data(this, "get", String(key));
    }
    set(key, value) {
      return native.data(this, "set", String(key), value);
    }
    delete(key) {
      return native.data(this, "delete", String(key));
    }
    run(fn) {
      return native.within(this, () => fn(this));
    }
    finalize(options) {
      return native.finalize(this, options ?? {});
    }
    onCleanup(fn) {
      native.onCleanup(this, fn);
    }
    toString() {
      return `Scope(${this.#info.chain.join("/")})`;
    }
    [Symbol.asyncDispose]() {
      return this.finalize();
    }
  }

  function isScope(value) {
    return value instanceof Scope;
  }

  function makeScope(info) {
    return new Scope(token, info);
  }

  // run(id, [options], fn) runs fn in the nested scope [..., id] and
  // finalizes it when fn returns; a throw fails the scope, which then
  // deletes nothing.
  async function run(id, options, fn) {
    if (typeof options === "function") {
      fn = options;
      options = undefined;
    }
    if (typeof fn !== "function") {
      throw new TypeError(`alchemy.run(${JSON.stringify(id)}): the last argument must be a function`);
    }
    const scope = await native.nested(id, options ?? {});
    try {
      return await native.within(scope, () => fn.call(scope, scope));
    } catch (error) {
      native.fail(scope, error);
      throw error;
    } finally {
      await native.finalize(scope, {});
    }
  }

  // destroy(scope | resource | undefined, options?)
  async function destroy(target, options) {
    if (target === undefined || target === null) return;
    if (target instanceof Scope) return native.destroyScope(target, options ?? {});
    if (typeof target === "object" && typeof target[ResourceKind] === "string") {
      const scope = target[ResourceScope];
      if (target[ResourceKind] === KIND_SCOPE && scope instanceof Scope) {
        return native.destroyScope(scope, options ?? {});
      }
      return native.destroyResource(target, options ?? {});
    }
    throw new TypeError("destroy(): expected a scope or a resource");
  }

  function alchemy(appName, options) {
    return native.alchemy(appName, options);
  }
  alchemy.run = run;
  alchemy.destroy = destroy;
  alchemy.env = env;
  alchemy.secret = secret;

  function Resource(kind, options, handler) {
    if (typeof options === "function") {
      handler = options;
      options = undefined;
    }
    if (typeof kind !== "string" || kind === "") {
      throw new TypeError("Resource(kind, handler): kind must be a non-empty string");
    }
    if (typeof handler !== "function") {
      throw new TypeError(`Resource(${JSON.stringify(kind)}): the handler must be a function`);
    }
    return native.resource(kind, options ?? {}, handler);
  }

  function type() {
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Resource handlers

  // A handler ends a delete with this.destroy() and asks for a replacement
  // with this.replace(); both throw a signal the engine bridge reads.
  class Signal {
    constructor(kind, flag) {
      this.kind = kind;
      this.flag = flag === true;
    }
  }

  function envelope(info, id, fields) {
    return {
      [ResourceKind]: info.kind,
      [ResourceID]: id,
      [ResourceFQN]: info.fqn,
      [ResourceScope]: info.scope,
      [ResourceSeq]: info.seq,
      ...fields,
    };
  }

  // invoke calls a handler with its context as `this` and settles with
  // {output}, {signal, flag} or {error}; it never rejects.
  function invoke(handler, info, id, props) {
    const ctx = function (a, b) {
      return typeof a === "string" ? envelope(info, a, b) : envelope(info, info.id, a);
    };
    Object.defineProperties(ctx, {
      phase: { value: info.phase, enumerable: true },
      id: { value: info.id, enumerable: true },
      fqn: { value: info.fqn, enumerable: true },
      stage: { value: info.stage, enumerable: true },
      quiet: { value: info.quiet, enumerable: true },
      scope: { value: info.scope, enumerable: true },
      isReplacement: { value: info.isReplacement, enumerable: true },
      output: { value: info.output, enumerable: true },
      props: { value: info.props, enumerable: true },
    });
    ctx.create = (fields) => envelope(info, info.id, fields);
    ctx.get = async (key) => info.data("get", String(key));
    ctx.set = async (key, value) => {
      info.data("set", String(key), value);
    };
    ctx.delete = async (key) => info.data("delete", String(key));
    ctx.destroy = (retainChildren) => {
      throw new Signal("destroy", retainChildren);
    };
    ctx.replace = (force) => {
      throw new Signal("replace", force);
    };
    ctx.onCleanup = (fn) => {
      if (info.scope !== undefined) native.onCleanup(info.scope, fn);
    };
    let result;
    try {
      result = Promise.resolve(handler.call(ctx, id, props));
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.then(
      (output) => ({ output }),
      (error) => (error instanceof Signal ? { signal: error.kind, flag: error.flag } : { error }),
    );
  }

  return {
    Secret,
    isSecret,
    secret,
    env,
    Scope,
    isScope,
    makeScope,
    run,
    destroy,
    alchemy,
    Resource,
    type,
    invoke,
    ResourceKind,
    ResourceID,
    ResourceFQN,
    ResourceScope,
    ResourceSeq,
  };
});
