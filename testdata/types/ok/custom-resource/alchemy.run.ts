// Resources defined in the program, scopes, secrets and the environment.
import alchemy, {
  destroy,
  isSecret,
  Resource,
  ResourceFQN,
  ResourceID,
  ResourceKind,
  ResourceScope,
  ResourceSeq,
  Scope,
  Secret,
  type Context,
} from "alchemy";

interface NoteProps {
  text: string;
  owner?: string;
}

interface Note {
  text: string;
  owner: string;
  revisions: number;
}

const Note = Resource("test::Note", async function (this: Context<Note, NoteProps>, id: string, props: NoteProps): Promise<Note> {
  if (this.phase === "delete") {
    await this.delete<number>("writes");
    return this.destroy();
  }
  if (this.phase === "update") {
    if (props.owner !== this.props.owner) {
      this.replace();
    }
    const writes = ((await this.get<number>("writes")) ?? 0) + 1;
    await this.set("writes", writes);
    return this({ ...this.output, text: props.text, revisions: this.output.revisions + 1 });
  }
  return this.create({ text: props.text, owner: props.owner ?? this.scope.appName, revisions: 0 });
});

const Folder = Resource("test::Folder", { alwaysUpdate: true }, async function (this: Context<{ path: string }>, id: string, props?: { path?: string }) {
  if (this.phase === "delete") return this.destroy();
  const child = await Note(`${id}-readme`, { text: `folder ${id}` });
  return this({ path: props?.path ?? `${this.fqn}/${child.text}` });
});

// Without a `this` annotation the handler still type-checks; the output type comes from what it returns.
const Doubler = Resource("test::Doubler", async function (id: string, props: { n: number }) {
  if (this.phase === "delete") return this.destroy();
  return { id, doubled: props.n * 2 };
});

const app = await alchemy("custom-resource", {
  stage: process.env.STAGE ?? "dev",
  password: alchemy.env("ALCHEMY_PASSWORD", "insecure"),
  quiet: true,
  destroyStrategy: "parallel",
  adopt: false,
});

const name: string = app.name;
const stage: string = app.stage;
const phase: "up" | "read" | "destroy" = app.phase;

const first = await Note("first", { text: "hello" });
const [second, folder] = await Promise.all([Note("second", { text: "world", owner: "me" }), Folder("docs")]);
const noProps = await Folder("no-props");
const doubled: number = (await Doubler("two", { n: 2 })).doubled;

const revisions: number = first.revisions + second.revisions;
const kind: "test::Note" = first[ResourceKind];
const meta: [string, string, number, Scope] = [first[ResourceID], first[ResourceFQN], first[ResourceSeq], first[ResourceScope]];
const folderPath: string = folder.path + noProps.path;

const token = alchemy.secret(process.env.TOKEN ?? "t", "token");
const fromEnv: Secret = alchemy.secret.env.API_TOKEN;
const fromEnvCall: Secret = alchemy.secret.env("API_TOKEN", "fallback");
const plain: string = token.unencrypted;
const home: string = alchemy.env.HOME;
const port: number = alchemy.env("PORT", 8080);
console.log(isSecret(fromEnv), fromEnvCall.name, Secret.unwrap(token), Secret.wrap("x").unencrypted, plain, home, port);

const nested = await alchemy.run("backend", async (scope) => {
  const note = await Note("inner", { text: scope.fqn("inner") });
  return { note, chain: scope.chain, physical: scope.createPhysicalName("inner") };
});
await alchemy.run("deeper", { quiet: false }, async function () {
  console.log(this.stage, Scope.current.fqn("x"), Scope.getScope()?.name);
});

await destroy(nested.note);
await destroy(undefined);
console.log(name, stage, phase, doubled, revisions, kind, meta, folderPath, nested.chain.join("/"), nested.physical);
await app.finalize();

{
  await using scoped = await alchemy("disposable");
  console.log(scoped.root === scoped, scoped.parent?.name);
}
