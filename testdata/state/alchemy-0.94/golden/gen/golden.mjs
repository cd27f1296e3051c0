// Produces reference state with the TypeScript Alchemy library (custom kinds only, no cloud).
// Usage: STEP=<n> node golden.mjs   (run from the directory whose .alchemy/ should receive the state)
import alchemy, { Resource } from "alchemy";

const step = Number(process.env.STEP);

const Note = Resource("golden::Note", async function (id, props) {
  if (this.phase === "delete") return this.destroy();
  if (props?.fail === step) throw new Error(`note ${id} fails in step ${step}`);
  if (this.phase === "update" && this.output?.immutable !== props?.immutable) {
    return this.replace();
  }
  this.set("touched", step);
  return this({ ...props, at: new Date("2025-01-01T00:00:00Z"), step });
});

const Parent = Resource("golden::Parent", async function (id, props) {
  if (this.phase === "delete") return this.destroy();
  const kids = [];
  for (const name of props.children) kids.push(await Note(name, { text: `child ${name}` }));
  return this({ count: kids.length, first: kids[0] });
});

const app = await alchemy("golden-app", { password: "golden-password", stage: "golden", quiet: false });

const a = await Note("a", {
  text: "alpha",
  n: 1.5,
  big: 1e21,
  bigish: 123456789012345680000,
  small: 1e-7,
  tiny: 0.000001,
  negzero: -0,
  int: 42,
  tags: ["x", "y"],
  nested: { ok: true, none: null, arr: [1, "two", { three: 3 }] },
  empty: {},
  emptyArr: [],
  when: new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 678)),
  buf: Buffer.from("hello buffer"),
  sym: Symbol.for("golden::sym"),
  undef: undefined,
  fn: () => 1,
  "10": "ten",
  "2": "two",
  zeta: "z",
  unicode: "héllo \u2028 <tag> & \"quoted\" \\ back\nline\ttab\u0001",
  immutable: step >= 3 && step !== 5 ? "v2" : "v1",
});
const b = await Note("b", { text: step >= 2 ? "beta changed" : "beta", ref: a, ...(step === 4 ? { fail: 4 } : {}) }).catch((e) => { if (step !== 4) throw e; return undefined; });
if (step === 4) await Note("flaky", { fail: 4 }).catch(() => {});
await Note("noprops");
await Note("secretive", {
  token: alchemy.secret("golden-token"),
  obj: alchemy.secret({ user: "u", pass: 1 }),
});
await alchemy.run("outer", async () => {
  await Note("inner", { text: "in outer", ref: b });
  await alchemy.run("deeper", async () => {
    await Note("deepest", { text: "deep" });
  });
  if (step < 2) await Note("transient", { text: "gone in step 2" });
  await Note("innerrep", { immutable: step >= 3 ? "v2" : "v1" });
});
await Parent("parent", { children: step >= 2 ? ["k1"] : ["k1", "k2"] });
if (process.env.NO_FINALIZE) process.exit(0);
await app.finalize();
