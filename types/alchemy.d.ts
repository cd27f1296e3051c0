// The modules the alchemy binary builds in: "alchemy", "alchemy/cloudflare", "alchemy/fs",
// "alchemy/test/vitest" and "vitest".
//
// Layer "alchemy". Always in the program. It declares no globals; it refers to the Workers runtime types
// (KVNamespace, R2Bucket, Fetcher, …) and the web classes by their global names, which the "workers" and
// "web" layers or @cloudflare/workers-types and @types/node provide.
//
// Resource declarations follow one pattern, which tests read: each module that defines resources lists
// them in `export interface ResourceTypes { "<kind>": { props: XProps; output: X } }`; `XProps` lists the
// props, `export interface X extends Resource<"<kind>">` the output fields, and
// `export function X(id: string, props…): Promise<X>` creates it. Output fields tagged @phantom (always
// readonly) exist only in types and are never set at run time. Props tagged @unsupported are props of the
// TypeScript library this binary refuses (typed so that giving one is a type error). A Go test compares
// these tables with the providers' schemas, so the two cannot drift apart.

/* eslint-disable */

declare module "alchemy" {
  // -------------------------------------------------------------------------------------------------------
  // Resource identity

  /** Symbol.for("alchemy::ResourceKind"): the kind of a resource output, e.g. "cloudflare::Worker". */
  export const ResourceKind: unique symbol;
  /** Symbol.for("alchemy::ResourceID"): the id the resource was created with. */
  export const ResourceID: unique symbol;
  /** Symbol.for("alchemy::ResourceFQN"): the id prefixed with its scope chain, joined with "/". */
  export const ResourceFQN: unique symbol;
  /** Symbol.for("alchemy::ResourceScope"): the scope the resource belongs to. */
  export const ResourceScope: unique symbol;
  /** Symbol.for("alchemy::ResourceSeq"): the resource's position in its scope, in call order. */
  export const ResourceSeq: unique symbol;

  /** The identity every resource output carries. */
  export interface Resource<Kind extends string = string> {
    [ResourceKind]: Kind;
    [ResourceID]: string;
    [ResourceFQN]: string;
    [ResourceScope]: Scope;
    [ResourceSeq]: number;
  }

  export type Phase = "up" | "destroy" | "read";
  export type DestroyStrategy = "sequential" | "parallel";

  // -------------------------------------------------------------------------------------------------------
  // Secrets and environment

  /** A value encrypted with the scope's password whenever it is written to state. */
  export class Secret<T = string> {
    constructor(unencrypted: T, name?: string);
    readonly type: "secret";
    readonly unencrypted: T;
    readonly name: string;
    static wrap<T>(value: T | Secret<T>): Secret<T>;
    static unwrap<T, U = T>(value: T | Secret<U>): T | U;
    toString(): string;
  }

  export function isSecret<T = string>(value: unknown): value is Secret<T>;

  /**
   * Wraps a value as a Secret. Throws when the value is undefined, so `alchemy.secret(process.env.X)` fails
   * clearly when X is not set.
   */
  export function secret<S = string>(unencrypted: S | undefined, name?: string): Secret<S>;
  export namespace secret {
    /** `alchemy.secret.env.NAME` or `alchemy.secret.env("NAME")`: an environment variable as a Secret. */
    const env: SecretEnv;
  }

  export interface SecretEnv {
    readonly [name: string]: Secret;
    (name: string, value?: string, error?: string): Secret;
  }

  /** `alchemy.env.NAME` or `alchemy.env("NAME", fallback?, message?)`: a variable that must be set. */
  export interface Env {
    readonly [name: string]: string;
    <T = string>(name: string, value?: T, error?: string): T;
  }
  export const env: Env;

  // -------------------------------------------------------------------------------------------------------
  // State

  export type ResourceStatus = "creating" | "created" | "updating" | "updated" | "deleting" | "deleted";

  /** One record of a state store, as .alchemy/<app>/<stage>/<id>.json holds it. */
  export interface State<Kind extends string = string, Props = ResourceProps, Out = ResourceAttributes> {
    status: ResourceStatus;
    kind: Kind;
    id: string;
    fqn: string;
    seq: number;
    data: Record<string, unknown>;
    props: Props;
    oldProps?: Props;
    output: Out;
  }

  // -------------------------------------------------------------------------------------------------------
  // Scopes

  export interface AlchemyOptions {
    /** "up" (default) creates and updates, "read" only reads state, "destroy" deletes the stage. */
    phase?: Phase;
    /** Defaults to --stage, then ALCHEMY_STAGE, STAGE, USER, USERNAME, then "dev". */
    stage?: string;
    /** Encrypts secrets in state. Defaults to ALCHEMY_PASSWORD. */
    password?: string;
    quiet?: boolean;
    /** Run update handlers even when props did not change. */
    force?: boolean;
    /** Take over existing resources of the same name instead of failing. */
    adopt?: boolean;
    /**
     * Run everything on the local Cloudflare. The command line decides (`alchemy dev`, --dev): a value that
     * disagrees with it fails the run before anything is deployed.
     */
    local?: boolean;
    /** Alias of local. */
    dev?: boolean;
    /** Re-run on file changes. The command line decides (`alchemy dev`, --watch): true without it fails the run. */
    watch?: boolean;
    /** Accepted for compatibility; has no effect. */
    tunnel?: boolean;
    /**
     * Where state is kept: `(scope) => new CloudflareStateStore(scope)` or `new FileSystemStateStore(scope,
     * {rootDir})` from "alchemy/state". Files under .alchemy/ by default. The function must return a store of
     * "alchemy/state"; a store class of the program's own is refused. Under `alchemy dev` state stays in the
     * dev session's files. With CI set, a run without one fails unless ALCHEMY_CI_STATE_STORE_CHECK=false.
     */
    stateStore?: StateStoreType;
    /** The project root; .alchemy/ lives there. */
    rootDir?: string;
    destroyStrategy?: DestroyStrategy;
    /** When false, orphans are kept at finalize. */
    destroyOrphans?: boolean;
    /** Accepted for compatibility; this binary sends no telemetry. */
    noTrack?: boolean;
    /** Accepted for compatibility; has no effect (credentials come from the environment). */
    profile?: string;
  }

  /** A state store: the stores of "alchemy/state" implement it. */
  export interface StateStore {
    init?(): Promise<void>;
    deinit?(): Promise<void>;
    list(): Promise<string[]>;
    count(): Promise<number>;
    get(key: string): Promise<State | undefined>;
    getBatch(ids: string[]): Promise<Record<string, State>>;
    all(): Promise<Record<string, State>>;
    set(key: string, value: State): Promise<void>;
    delete(key: string): Promise<void>;
    listScopes?(): Promise<string[]>;
  }

  /** The stateStore option: called with the scope, returns the store of "alchemy/state" to keep it in. */
  export type StateStoreType = (scope: Scope) => StateStore;

  export interface RunOptions extends AlchemyOptions {
    /** The scope to nest under instead of the current one. */
    parent?: Scope;
  }

  export interface FinalizeOptions {
    force?: boolean;
    noop?: boolean;
  }

  /** A node of the scope tree: the app, its stage, and every alchemy.run() inside. */
  export class Scope {
    private constructor();
    static readonly KIND: "alchemy::Scope";
    /** The scope of the code running now. Throws outside of every scope. */
    static readonly current: Scope;
    /** The root (app) scope of the code running now. */
    static readonly root: Scope;
    /** The scope of the code running now, or undefined. */
    static getScope(): Scope | undefined;

    /** The app name for the root scope, else this scope's own name. */
    readonly name: string;
    readonly scopeName: string;
    readonly appName: string;
    readonly stage: string;
    readonly phase: Phase;
    readonly parent: Scope | undefined;
    readonly root: Scope;
    /** Names from the app down to this scope. */
    readonly chain: string[];
    readonly local: boolean;
    readonly watch: boolean;
    readonly quiet: boolean;
    readonly force: boolean;
    readonly adopt: boolean;
    readonly password: string | undefined;
    readonly rootDir: string;
    readonly dotAlchemy: string;
    readonly destroyStrategy: DestroyStrategy;

    /** The chain and id joined with "/". */
    fqn(id: string): string;
    /** [app, ...nested scopes, id, stage] with characters outside [a-zA-Z0-9_-] replaced by "-". */
    createPhysicalName(id: string, delimiter?: string, maxLength?: number): string;
    has(id: string, kind?: string): Promise<boolean>;
    get<T>(key: string): Promise<T | undefined>;
    set<T>(key: string, value: T): Promise<void>;
    delete(key: string): Promise<void>;
    /** Runs fn with this scope as the current one. */
    run<T>(fn: (scope: Scope) => Promise<T>): Promise<T>;
    /** Deletes pending replacements, finalizes child scopes, then deletes orphans. Nothing in "read". */
    finalize(options?: FinalizeOptions): Promise<void>;
    onCleanup(fn: () => void | Promise<void>): void;
    toString(): string;
    [Symbol.asyncDispose](): Promise<void>;
  }

  export function isScope(value: unknown): value is Scope;

  /** Runs fn in a nested scope [..., id], finalized when fn returns. */
  export function run<T>(id: string, fn: (this: Scope, scope: Scope) => Promise<T>): Promise<T>;
  export function run<T>(id: string, options: RunOptions, fn: (this: Scope, scope: Scope) => Promise<T>): Promise<T>;

  export interface DestroyOptions {
    quiet?: boolean;
    strategy?: DestroyStrategy;
  }

  /** Deletes every resource of a scope (and the scope), or one resource. undefined and null do nothing. */
  export function destroy(scope: Scope, options?: DestroyOptions): Promise<void>;
  export function destroy(resource: Resource | undefined | null, options?: DestroyOptions): Promise<void>;

  export interface Alchemy {
    /** Creates the app scope [appName] and its stage scope, and returns the app scope. */
    (appName: string, options?: AlchemyOptions): Promise<Scope>;
    run: typeof run;
    destroy: typeof destroy;
    env: Env;
    secret: typeof secret;
  }

  export const alchemy: Alchemy;
  export type alchemy = Alchemy;
  export default alchemy;

  /** The stage used when none is given: ALCHEMY_STAGE, STAGE, USER, USERNAME, else "dev". */
  export const DEFAULT_STAGE: string;

  // -------------------------------------------------------------------------------------------------------
  // Resources defined in the program

  export type ResourceProps = { [key: string]: any };
  export type ResourceAttributes = { [key: string]: any };

  export interface ProviderOptions {
    /** Run the update handler even when props did not change. */
    alwaysUpdate: boolean;
    destroyStrategy?: DestroyStrategy;
  }

  /** The output fields a handler returns: everything but the identity symbols the engine adds. */
  export type OutputFields<Out> = Omit<Out, keyof Resource>;

  /** `this` inside a Resource handler. */
  export interface BaseContext<Out extends ResourceAttributes> {
    readonly quiet: boolean;
    readonly stage: string;
    readonly id: string;
    readonly fqn: string;
    readonly scope: Scope;
    readonly isReplacement: boolean;
    /** Per-resource data, kept in the state record's `data`. */
    get<T>(key: string): Promise<T | undefined>;
    set<T>(key: string, value: T): Promise<void>;
    delete<T>(key: string): Promise<T | undefined>;
    /** Ends an update by creating a replacement; the old resource is deleted at finalize. */
    replace(force?: boolean): never;
    /** Ends a delete. */
    destroy(retainChildren?: boolean): never;
    onCleanup(fn: () => void | Promise<void>): void;
    /** Builds the output to return. */
    create(fields: OutputFields<Out>): Out;
    (fields: OutputFields<Out>): Out;
    (id: string, fields: OutputFields<Out>): Out;
  }

  export interface CreateContext<Out extends ResourceAttributes> extends BaseContext<Out> {
    readonly phase: "create";
    readonly output?: undefined;
    readonly props?: undefined;
  }

  export interface UpdateContext<Out extends ResourceAttributes, Props = ResourceProps> extends BaseContext<Out> {
    readonly phase: "update";
    /** The output of the previous run. */
    readonly output: Out;
    /** The props of the previous run. */
    readonly props: Props;
  }

  export interface DeleteContext<Out extends ResourceAttributes, Props = ResourceProps> extends BaseContext<Out> {
    readonly phase: "delete";
    readonly output: Out;
    readonly props: Props;
  }

  export type Context<Out extends ResourceAttributes, Props = ResourceProps> =
    | CreateContext<Out>
    | UpdateContext<Out, Props>
    | DeleteContext<Out, Props>;

  export type ResourceHandler = (this: Context<any, any>, id: string, props: any) => Promise<ResourceAttributes>;

  /** The function Resource() returns: calling it creates, updates or reads the resource. */
  export type ResourceFunction<Kind extends string, F extends ResourceHandler> = F extends (
    this: any,
    id: string,
    ...props: infer P
  ) => Promise<infer Out>
    ? (id: string, ...props: P) => Promise<Out & Resource<Kind>>
    : never;

  /**
   * Defines a resource kind whose lifecycle runs in the program. Annotate the handler's `this` as
   * `Context<Output>` (and optionally `Context<Output, Props>`) to type this.output and this(...).
   */
  export function Resource<const Kind extends string, F extends ResourceHandler>(kind: Kind, handler: F): ResourceFunction<Kind, F>;
  export function Resource<const Kind extends string, F extends ResourceHandler>(
    kind: Kind,
    options: Partial<ProviderOptions>,
    handler: F,
  ): ResourceFunction<Kind, F>;

  /** A type-only value: `rpc: type<MyEntrypoint>` passes a type where a value is expected. */
  export function type<T>(): T;
  export type type<T> = () => T;
}

// =========================================================================================================

declare module "alchemy/cloudflare" {
  import type { Resource, Secret, type } from "alchemy";

  /** Credentials and account of the Cloudflare API; each defaults to the environment. */
  export interface CloudflareApiOptions {
    /** Defaults to CLOUDFLARE_BASE_URL, then Cloudflare's v4 API. */
    baseUrl?: string;
    /** Accepted for compatibility; has no effect (credentials come from the environment or these props). */
    profile?: string;
    apiKey?: Secret;
    apiToken?: Secret;
    accountId?: string;
    email?: string;
  }

  /** How a resource behaves under --dev. */
  export interface DevOptions {
    /** Use the real Cloudflare resource even in dev mode. */
    remote?: boolean;
    /** Set by the binary: true when the run is local. */
    force?: boolean;
  }

  /** The compatibility date used when a Worker sets none. */
  export const DEFAULT_COMPATIBILITY_DATE: string;

  // -------------------------------------------------------------------------------------------------------
  // KVNamespace

  export interface KVPair {
    key: string;
    /** Strings are stored as they are, anything else as JSON. */
    value: string | object;
    expiration?: number;
    expirationTtl?: number;
    metadata?: any;
  }

  export interface KVNamespaceProps extends CloudflareApiOptions {
    /** Defaults to the physical name [app, ...scopes, id, stage]. */
    title?: string;
    /** Written on create and on every update; keys removed from the list are not deleted. */
    values?: KVPair[];
    adopt?: boolean;
    /** When false, the namespace is kept on delete. */
    delete?: boolean;
    dev?: DevOptions;
  }

  export interface KVNamespace extends Resource<"cloudflare::KVNamespace"> {
    type: "kv_namespace";
    namespaceId: string;
    title: string;
    values?: KVPair[];
    dev: { id: string; remote: boolean };
    /** Milliseconds since the epoch. */
    createdAt: number;
    /** Milliseconds since the epoch. */
    modifiedAt: number;
  }

  export function KVNamespace(id: string, props?: KVNamespaceProps): Promise<KVNamespace>;
  export function isKVNamespace(value: unknown): value is KVNamespace;

  // -------------------------------------------------------------------------------------------------------
  // R2Bucket

  export type R2BucketJurisdiction = "default" | "eu" | "fedramp";

  export interface R2BucketCORSRule {
    id?: string;
    allowed: { methods: ("GET" | "PUT" | "POST" | "DELETE" | "HEAD")[]; origins: string[]; headers?: string[] };
    exposeHeaders?: string[];
    maxAgeSeconds?: number;
  }

  export type R2BucketRuleCondition = { maxAge: number; type: "Age" } | { date: string; type: "Date" };

  export interface R2BucketLifecycleRule {
    id?: string;
    conditions?: { prefix: string };
    enabled?: boolean;
    abortMultipartUploadsTransition?: { condition: { maxAge: number; type: "Age" } };
    deleteObjectsTransition?: { condition: R2BucketRuleCondition };
    storageClassTransitions?: { condition: R2BucketRuleCondition; storageClass: "InfrequentAccess" }[];
  }

  export interface R2BucketLockRule {
    id?: string;
    condition: { maxAgeSeconds: number; type: "Age" } | { date: string; type: "Date" } | { type: "Indefinite" };
    enabled?: boolean;
    prefix?: string;
  }

  export interface R2BucketProps extends CloudflareApiOptions {
    /** Defaults to the physical name. Changing it replaces the bucket. */
    name?: string;
    locationHint?: string;
    storageClass?: "Standard" | "InfrequentAccess";
    jurisdiction?: R2BucketJurisdiction;
    /** @deprecated Use devDomain. */
    allowPublicAccess?: boolean;
    /** Serve the bucket on its r2.dev domain. */
    devDomain?: boolean;
    /** @unsupported Custom domains of R2 buckets are not supported yet. */
    domains?: never;
    /** When false, the bucket is kept on delete. */
    delete?: boolean;
    /** Delete every object before deleting the bucket (a non-empty bucket cannot be deleted). */
    empty?: boolean;
    adopt?: boolean;
    cors?: R2BucketCORSRule[];
    lifecycle?: R2BucketLifecycleRule[];
    lock?: R2BucketLockRule[];
    /** @unsupported The R2 data catalog is not supported yet; only false is accepted. */
    dataCatalog?: false;
    dev?: DevOptions;
  }

  /** The name the TypeScript library uses for R2BucketProps. */
  export type BucketProps = R2BucketProps;

  export interface R2ObjectMetadata {
    key: string;
    etag: string;
    uploaded: Date;
    size: number;
    httpMetadata?: { contentType?: string; contentLanguage?: string; contentDisposition?: string; contentEncoding?: string; cacheControl?: string };
  }

  export interface R2ObjectContent extends R2ObjectMetadata {
    arrayBuffer(): Promise<ArrayBuffer>;
    bytes(): Promise<Uint8Array>;
    text(): Promise<string>;
    json<T = unknown>(): Promise<T>;
    blob(): Promise<Blob>;
  }

  export interface PutR2ObjectResponse {
    key: string;
    etag: string;
    uploaded: Date;
    version: string;
    size: number;
  }

  export type R2Objects = {
    objects: Omit<R2ObjectMetadata, "httpMetadata">[];
  } & ({ truncated: true; cursor: string } | { truncated: false; cursor?: never });

  /** Object access from the program, through Cloudflare's API (or the local Cloudflare under --dev). */
  export interface R2BucketObjectClient {
    head(key: string): Promise<R2ObjectMetadata | null>;
    get(key: string): Promise<R2ObjectContent | null>;
    put(
      key: string,
      value: ReadableStream | ArrayBuffer | ArrayBufferView | string | null | Blob,
      options?: { httpMetadata?: R2ObjectMetadata["httpMetadata"] },
    ): Promise<PutR2ObjectResponse>;
    delete(key: string): Promise<void>;
    list(options?: { prefix?: string; cursor?: string; limit?: number; delimiter?: string; startAfter?: string }): Promise<R2Objects>;
  }

  export interface R2Bucket extends Resource<"cloudflare::R2Bucket">, R2BucketObjectClient {
    type: "r2_bucket";
    name: string;
    location: string;
    creationDate: Date;
    jurisdiction: R2BucketJurisdiction;
    /** The r2.dev domain when devDomain is on. */
    devDomain?: string;
    accountId: string;
    cors?: R2BucketCORSRule[];
    lifecycle?: R2BucketLifecycleRule[];
    lock?: R2BucketLockRule[];
    dev: { id: string; remote: boolean; isDeployed?: boolean };
  }

  export function R2Bucket(id: string, props?: R2BucketProps): Promise<R2Bucket>;
  export function isBucket(value: unknown): value is R2Bucket;

  // -------------------------------------------------------------------------------------------------------
  // D1Database

  export type D1DatabaseJurisdiction = "default" | "eu" | "fedramp";
  export type PrimaryLocationHint = "wnam" | "enam" | "weur" | "eeur" | "apac" | "oc" | (string & {});

  export interface D1DatabaseProps extends CloudflareApiOptions {
    /** Defaults to the physical name. Changing it replaces the database. */
    name?: string;
    /** Fixed at creation. */
    primaryLocationHint?: PrimaryLocationHint;
    readReplication?: { mode: "auto" | "disabled" };
    delete?: boolean;
    adopt?: boolean;
    /** @unsupported Cloning a database is not supported yet: create it empty and use importFiles. */
    clone?: never;
    /** SQL files run on create and on every update. */
    importFiles?: string[];
    /** Table recording applied migrations. Defaults to "d1_migrations". */
    migrationsTable?: string;
    /** Directory of *.sql migrations, applied in numeric order, each once. */
    migrationsDir?: string;
    dev?: DevOptions;
    /** Fixed at creation. */
    jurisdiction?: D1DatabaseJurisdiction;
  }

  export interface D1Database extends Resource<"cloudflare::D1Database"> {
    type: "d1";
    /** The database UUID. */
    id: string;
    name: string;
    readReplication?: { mode: "auto" | "disabled" };
    primaryLocationHint?: PrimaryLocationHint;
    dev: { id: string; remote: boolean };
    migrationsDir?: string;
    migrationsTable: string;
    jurisdiction: D1DatabaseJurisdiction;
  }

  export function D1Database(id: string, props?: D1DatabaseProps): Promise<D1Database>;
  export function isD1Database(value: unknown): value is D1Database;

  // -------------------------------------------------------------------------------------------------------
  // Queue and QueueConsumer

  export interface QueueSettings {
    deliveryDelay?: number;
    deliveryPaused?: boolean;
    messageRetentionPeriod?: number;
  }

  export interface QueueProps extends CloudflareApiOptions {
    /** Defaults to the physical name. */
    name?: string;
    settings?: QueueSettings;
    /** Dead-letter queue used when this queue is given to a Worker as an event source. */
    dlq?: string | Queue<any>;
    delete?: boolean;
    adopt?: boolean;
    dev?: DevOptions;
  }

  export interface Queue<Body = unknown> extends Resource<"cloudflare::Queue"> {
    type: "queue";
    /** The queue id. */
    id: string;
    name: string;
    settings?: QueueSettings;
    dlq?: string | Queue<any>;
    createdOn: string;
    modifiedOn: string;
    accountId: string;
    dev: { id: string; remote: boolean };
    /** @phantom The message body type. */
    readonly Body: Body;
    /** @phantom What a queue() handler of this queue receives: `batch: typeof queue.Batch`. */
    readonly Batch: MessageBatch<Body>;
  }

  export function Queue<Body = unknown>(id: string, props?: QueueProps): Promise<Queue<Body>>;
  export function isQueue(value: unknown): value is Queue<unknown>;

  export interface QueueConsumerSettings {
    batchSize?: number;
    maxConcurrency?: number;
    maxRetries?: number;
    maxWaitTimeMs?: number;
    retryDelay?: number;
    deadLetterQueue?: string | Queue<any>;
  }

  export interface QueueConsumerProps extends CloudflareApiOptions {
    queue: string | Queue<any>;
    /** The consuming Worker's script name. */
    scriptName: string;
    settings?: QueueConsumerSettings;
    delete?: boolean;
    adopt?: boolean;
    dev?: boolean;
  }

  export interface QueueConsumer extends Resource<"cloudflare::QueueConsumer"> {
    /** The consumer id. */
    id: string;
    queueId: string;
    queue: string | Queue<any>;
    type: "worker";
    scriptName: string;
    /** As Cloudflare reports them; deadLetterQueue is the queue's name. */
    settings: QueueConsumerSettings;
    createdOn?: string;
    accountId: string;
  }

  export function QueueConsumer(id: string, props: QueueConsumerProps): Promise<QueueConsumer>;

  /** A Worker event source: a queue, or a queue with consumer settings. */
  export interface QueueEventSource {
    readonly queue: Queue<any>;
    readonly settings?: QueueConsumerSettings;
  }
  export type EventSource = Queue<any> | QueueEventSource;

  // -------------------------------------------------------------------------------------------------------
  // Binding descriptors (not deployed resources)

  export interface DurableObjectNamespaceProps {
    /** The exported class in the Worker's script. */
    className: string;
    /** Another Worker's script, for a cross-script binding. */
    scriptName?: string;
    environment?: string;
    /** SQLite-backed storage (needed for ctx.storage.sql). */
    sqlite?: boolean;
    namespaceId?: string;
  }

  /**
   * A Durable Object binding. The id is stable across class renames and keys the class migration; T is
   * the Durable Object class, so `env.X` is a DurableObjectNamespace<T> with T's RPC methods.
   */
  export interface DurableObjectNamespace<T = any> {
    type: "durable_object_namespace";
    id: string;
    className: string;
    scriptName?: string;
    environment?: string;
    sqlite?: boolean;
    namespaceId?: string;
    /** @phantom */
    readonly __service__?: T;
  }

  export function DurableObjectNamespace<T = any>(id: string, props: DurableObjectNamespaceProps): DurableObjectNamespace<T>;
  export function isDurableObjectNamespace(value: unknown): value is DurableObjectNamespace<unknown>;

  export interface WorkflowProps {
    /** Defaults to className, then the id. */
    workflowName?: string;
    /** Defaults to workflowName. */
    className?: string;
    /** Another Worker's script, for a cross-script binding. */
    scriptName?: string;
    limits?: { steps?: number };
    dev?: { remote?: boolean };
  }

  /** A Workflow binding; the Worker that binds it (or scriptName) runs the class. */
  export interface Workflow<PARAMS = unknown> {
    type: "workflow";
    id: string;
    workflowName: string;
    className: string;
    scriptName?: string;
    limits?: { steps?: number };
    /** @phantom */
    readonly _PARAMS?: PARAMS;
  }

  export function Workflow<PARAMS = unknown>(id: string, props?: WorkflowProps): Workflow<PARAMS>;
  export function isWorkflow(value: unknown): value is Workflow<unknown>;

  /** A json binding with the value as given: `Json(v)` makes `env.X` exactly typeof v. */
  export interface Json<T = any> {
    type: "json";
    json: T;
  }
  export function Json<const T>(value: T): Json<T>;

  /** A service binding to the Worker being defined (or one of its entrypoints). */
  export interface Self<RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded> {
    type: "cloudflare::Worker::Self";
    __entrypoint__?: string;
    /** @phantom */
    readonly __rpc__?: RPC;
  }
  export const Self: Self;

  export interface WorkerRefProps {
    /** The Worker's script name. */
    service: string;
    environment?: string;
    namespace?: string;
  }

  /** A service binding to a Worker not managed by this program. */
  export interface WorkerRef<RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded> {
    type: "service";
    service: string;
    environment?: string;
    namespace?: string;
    /** @phantom */
    readonly __rpc__?: RPC;
  }
  export function WorkerRef<RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded>(props: WorkerRefProps): WorkerRef<RPC>;

  /** The version_metadata binding. */
  export interface VersionMetadata {
    type: "version_metadata";
  }
  export function VersionMetadata(): VersionMetadata;

  /** Static assets served with the Worker; bind it (usually as ASSETS) to fetch them from code. */
  export interface Assets {
    type: "assets";
    /** Directory of the files, relative to the program. */
    path: string;
  }
  export function Assets(props: { path: string }): Promise<Assets>;

  // -------------------------------------------------------------------------------------------------------
  // Bindings

  export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

  /**
   * A value a Worker can bind. Resources and descriptors bind as themselves; a string binds as
   * plain_text, a Secret as secret_text, and a number, boolean, null, array or plain object as json.
   */
  export type Binding =
    | KVNamespace
    | { type: "kv_namespace"; id: string }
    | R2Bucket
    | D1Database
    | Queue<any>
    | DurableObjectNamespace<any>
    | Workflow<any>
    | Worker<any, any>
    | WorkerRef<any>
    | Self<any>
    | Assets
    | VersionMetadata
    | Json<any>
    | Worker.DevUrl
    | Worker.DevDomain
    | Secret<string>
    | JsonValue;

  export type Bindings = { [bindingName: string]: Binding };

  /** A json value with literal types widened: `true` reads as boolean, "x" as string. */
  export type Widen<T> = T extends string
    ? string
    : T extends number
      ? number
      : T extends boolean
        ? boolean
        : T extends readonly (infer E)[]
          ? Widen<E>[]
          : T extends object
            ? { -readonly [K in keyof T]: Widen<T[K]> }
            : T;

  type BoundDurableObject<T> = 0 extends 1 & T
    ? globalThis.DurableObjectNamespace<any>
    : [T] extends [undefined]
      ? globalThis.DurableObjectNamespace<undefined>
      : T extends Rpc.DurableObjectBranded
        ? globalThis.DurableObjectNamespace<T>
        : globalThis.DurableObjectNamespace<T & Rpc.DurableObjectBranded>;

  type BoundService<RPC> = 0 extends 1 & RPC
    ? Fetcher
    : [Rpc.WorkerEntrypointBranded] extends [RPC]
      ? Fetcher
      : RPC extends Rpc.WorkerEntrypointBranded
        ? Service<RPC>
        : Fetcher;

  /** The runtime type of a binding inside the Worker. */
  export type Bound<T> = T extends { type: "kv_namespace" }
    ? globalThis.KVNamespace
    : T extends { type: "r2_bucket" }
      ? globalThis.R2Bucket
      : T extends { type: "d1" }
        ? globalThis.D1Database
        : T extends DurableObjectNamespace<infer O>
          ? BoundDurableObject<O>
          : T extends Queue<infer Body>
            ? globalThis.Queue<Body>
            : T extends Workflow<infer P>
              ? globalThis.Workflow<P>
              : T extends Worker<any, infer RPC> | WorkerRef<infer RPC> | Self<infer RPC>
                ? BoundService<RPC>
                : T extends Assets
                  ? Fetcher
                  : T extends VersionMetadata
                    ? WorkerVersionMetadata
                    : T extends Worker.DevUrl | Worker.DevDomain
                      ? string
                      : T extends Json<infer V>
                        ? V
                        : T extends Secret<any>
                          ? string
                          : Widen<T>;

  /** The `env` a Worker with bindings B receives. */
  export type WorkerEnv<B> = B extends object ? { [K in keyof B]: Bound<B[K]> } : {};

  // -------------------------------------------------------------------------------------------------------
  // Worker

  export interface AssetsConfig {
    _headers?: string;
    _redirects?: string;
    html_handling?: "auto-trailing-slash" | "force-trailing-slash" | "drop-trailing-slash" | "none";
    not_found_handling?: "none" | "404-page" | "single-page-application";
    run_worker_first?: boolean | string[];
  }

  export interface WorkerObservability {
    enabled?: boolean;
    headSamplingRate?: number;
    logs?: { enabled?: boolean; headSamplingRate?: number; invocationLogs?: boolean; persist?: boolean; destinations?: string[] };
    traces?: { enabled?: boolean; headSamplingRate?: number; persist?: boolean; destinations?: string[] };
  }

  export type WorkerPlacement = { mode: "smart" } | { region: string } | { host: string } | { hostname: string };

  export interface WorkerCacheOptions {
    enabled?: boolean;
    crossVersionCache?: boolean;
  }

  export interface WorkerLimits {
    cpu_ms?: number;
    subrequests?: number;
  }

  export interface WorkerRouteOptions {
    pattern: string;
    zoneId?: string;
    adopt?: boolean;
  }

  export interface WorkerDomainOptions {
    domainName: string;
    zoneId?: string;
    adopt?: boolean;
    overrideExistingOrigin?: boolean;
  }

  /**
   * How the entrypoint is bundled with esbuild. `.sql` files always load as text. The binary refuses esbuild's
   * other options (minify, plugins, …).
   */
  export interface WorkerBundleOptions {
    /** Identifiers replaced by the given expressions (JSON or identifiers), as esbuild's define. */
    define?: Record<string, string>;
    /** How imports of files with an extension (".txt") load, as esbuild's loader. */
    loader?: Record<string, WorkerBundleLoader>;
    /** Imports left as they are (`*` is a wildcard), as esbuild's external. */
    external?: string[];
    /** Imported package names replaced by other packages or by paths, as esbuild's alias. */
    alias?: Record<string, string>;
  }

  /** The esbuild loaders whose output is part of a Worker bundle. */
  export type WorkerBundleLoader =
    | "js" | "jsx" | "ts" | "tsx" | "json" | "text" | "base64" | "dataurl" | "binary" | "empty";

  export interface WorkerDevOptionsLocal {
    /** Pin the localhost port (else the first free one from 1337). */
    port?: number;
    /** Deploy this Worker to Cloudflare even under --dev. */
    remote?: boolean;
    tunnel?: boolean;
    url?: undefined;
  }

  export interface WorkerDevOptionsUrl {
    /** Use this URL as the Worker's url under --dev. */
    url: string;
    port?: undefined;
    remote?: undefined;
    tunnel?: undefined;
  }

  export interface WorkerBaseProps<B extends Bindings | undefined = Bindings, RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded>
    extends CloudflareApiOptions {
    /** The script name. Defaults to the physical name, lower-cased. */
    name?: string;
    /** Each binding becomes `env.<name>` in the Worker. */
    bindings?: B;
    /** @deprecated Plain-text variables; use bindings. */
    env?: Record<string, string>;
    /** Enable the workers.dev URL (default true). */
    url?: boolean;
    previewSubdomains?: boolean;
    observability?: WorkerObservability;
    logpush?: boolean;
    /** When false, the script is kept on delete. */
    delete?: boolean;
    adopt?: boolean;
    compatibilityDate?: string;
    compatibilityFlags?: string[];
    /** "node" adds the nodejs_compat flags. */
    compatibility?: "node";
    assets?: AssetsConfig;
    cache?: boolean | WorkerCacheOptions;
    /** Cron triggers; [] clears them, leaving it out keeps the current ones. */
    crons?: string[];
    /** Queues this Worker consumes. */
    eventSources?: EventSource[];
    routes?: (string | WorkerRouteOptions)[];
    domains?: (string | WorkerDomainOptions)[];
    /** The entrypoint's RPC type, to type service bindings to this Worker: `rpc: type<MyEntrypoint>`. */
    rpc?: (new (...args: any[]) => RPC) | type<RPC>;
    /** @unsupported Dispatch namespaces are not supported yet. */
    namespace?: never;
    /** @unsupported Uploading a version without deploying it is not supported yet. */
    version?: never;
    dev?: WorkerDevOptionsLocal | WorkerDevOptionsUrl;
    placement?: WorkerPlacement;
    limits?: WorkerLimits;
    tailConsumers?: (Worker<any, any> | { service: string })[];
    bundle?: WorkerBundleOptions;
    /** Directory the entrypoint and bundle options are resolved from. */
    cwd?: string;
    /** @deprecated Use cwd. */
    projectRoot?: string;
    /** Module format of the upload (default "esm"). */
    format?: "esm" | "cjs";
  }

  export interface InlineWorkerProps<B extends Bindings | undefined = Bindings, RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded>
    extends WorkerBaseProps<B, RPC> {
    /** The module source, uploaded as it is. */
    script: string;
    entrypoint?: undefined;
    noBundle?: false;
  }

  export interface EntrypointWorkerProps<B extends Bindings | undefined = Bindings, RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded>
    extends WorkerBaseProps<B, RPC> {
    /** The Worker's main module, bundled with esbuild. */
    entrypoint: string;
    script?: undefined;
    /** Upload the files next to the entrypoint as they are instead of bundling. */
    noBundle?: boolean;
    sourceMap?: boolean;
    /** Globs of the files uploaded with noBundle. */
    rules?: { globs: string[] }[];
  }

  export type WorkerProps<B extends Bindings | undefined = Bindings, RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded> =
    | InlineWorkerProps<B, RPC>
    | EntrypointWorkerProps<B, RPC>;

  /** A deployed Worker. Every prop given is echoed in the output. */
  export interface Worker<B extends Bindings | undefined = Bindings | undefined, RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded>
    extends Resource<"cloudflare::Worker"> {
    type: "service";
    /** The resource id (not a Cloudflare id). */
    id: string;
    /** The script name. */
    name: string;
    entrypoint?: string;
    cwd: string;
    format: "esm" | "cjs";
    compatibilityDate: string;
    compatibilityFlags: string[];
    /** The bindings as given; absent when none were, so possibly undefined unless B names some. */
    bindings: keyof B extends never ? B | undefined : B;
    env?: Record<string, string>;
    observability?: WorkerObservability;
    createdAt: Date;
    updatedAt: Date;
    eventSources?: EventSource[];
    /** The workers.dev URL, or http://localhost:<port> under --dev; absent with url: false. */
    url?: string;
    assets?: AssetsConfig;
    crons?: string[];
    tailConsumers?: (Worker<any, any> | { service: string })[];
    routes?: Route[];
    domains?: CustomDomain[];
    placement?: WorkerPlacement;
    limits?: WorkerLimits;
    dev: { hasRemote: boolean };
    previewSubdomains?: boolean;
    logpush?: boolean;
    delete?: boolean;
    adopt?: boolean;
    compatibility?: "node";
    cache?: boolean | WorkerCacheOptions;
    bundle?: WorkerBundleOptions;
    noBundle?: boolean;
    sourceMap?: boolean;
    rules?: { globs: string[] }[];
    projectRoot?: string;
    /** @phantom The Worker's env: `typeof worker.Env`. */
    readonly Env: WorkerEnv<B>;
    /** @phantom */
    readonly __rpc__?: RPC;
  }

  export function Worker<B extends Bindings = {}, RPC extends Rpc.WorkerEntrypointBranded = Rpc.WorkerEntrypointBranded>(
    id: string,
    props: WorkerProps<B, RPC>,
  ): Promise<Worker<B, RPC>>;

  export namespace Worker {
    /** Binds the Worker's workers.dev hostname as a string. */
    const DevDomain: { readonly type: "cloudflare::Worker::DevDomain" };
    type DevDomain = typeof DevDomain;
    /** Binds the Worker's workers.dev URL as a string. */
    const DevUrl: { readonly type: "cloudflare::Worker::DevUrl" };
    type DevUrl = typeof DevUrl;
    /** A service binding to the named entrypoint (an exported WorkerEntrypoint class) of a Worker. */
    function experimentalEntrypoint<W extends Worker<any, any> | WorkerRef<any> | Self<any>>(
      worker: W,
      entrypoint: string,
    ): W & { readonly __entrypoint__: string };
  }

  export function isWorker(value: unknown): value is Worker<any, any>;

  // -------------------------------------------------------------------------------------------------------
  // Route, CustomDomain, WorkerSubdomain

  export interface RouteProps extends CloudflareApiOptions {
    /** e.g. "api.example.com/*" */
    pattern: string;
    script: Worker<any, any> | string;
    /** Inferred from the pattern's hostname when absent. */
    zoneId?: string;
    adopt?: boolean;
    delete?: boolean;
    dev?: boolean;
  }

  export interface Route extends Resource<"cloudflare::Route"> {
    /** The route id. */
    id: string;
    pattern: string;
    /** The script name. */
    script: string;
    zoneId: string;
  }

  export function Route(id: string, props: RouteProps): Promise<Route>;

  export interface CustomDomainProps extends CloudflareApiOptions {
    /** The hostname. */
    name: string;
    /** Inferred from the hostname when absent. */
    zoneId?: string;
    workerName: string;
    /** Defaults to "production". */
    environment?: string;
    adopt?: boolean;
    overrideExistingOrigin?: boolean;
    delete?: boolean;
    dev?: boolean;
  }

  export interface CustomDomain extends Resource<"cloudflare::CustomDomain"> {
    /** The domain id. */
    id: string;
    name: string;
    zoneId: string;
    workerName: string;
    environment: string;
    adopt?: boolean;
    overrideExistingOrigin?: boolean;
    delete?: boolean;
    dev?: boolean;
    /** Milliseconds since the epoch. */
    createdAt: number;
    /** Milliseconds since the epoch. */
    updatedAt: number;
  }

  export function CustomDomain(id: string, props: CustomDomainProps): Promise<CustomDomain>;

  export interface WorkerSubdomainProps extends CloudflareApiOptions {
    scriptName: string;
    previewVersionId?: string;
    previewsEnabled?: boolean;
    retain?: boolean;
    dev?: boolean;
  }

  /** Kept for compatibility: a Worker manages its workers.dev subdomain itself (see its url prop). */
  export interface WorkerSubdomain extends Resource<"cloudflare::WorkerSubdomain"> {}

  export function WorkerSubdomain(id: string, props: WorkerSubdomainProps): Promise<WorkerSubdomain>;

  /** Props and output of every resource kind of this module, by kind. */
  export interface ResourceTypes {
    "cloudflare::Worker": { props: WorkerProps<Bindings, Rpc.WorkerEntrypointBranded>; output: Worker };
    "cloudflare::KVNamespace": { props: KVNamespaceProps; output: KVNamespace };
    "cloudflare::R2Bucket": { props: R2BucketProps; output: R2Bucket };
    "cloudflare::D1Database": { props: D1DatabaseProps; output: D1Database };
    "cloudflare::Queue": { props: QueueProps; output: Queue };
    "cloudflare::QueueConsumer": { props: QueueConsumerProps; output: QueueConsumer };
    "cloudflare::Route": { props: RouteProps; output: Route };
    "cloudflare::CustomDomain": { props: CustomDomainProps; output: CustomDomain };
    "cloudflare::WorkerSubdomain": { props: WorkerSubdomainProps; output: WorkerSubdomain };
  }
}

// =========================================================================================================

declare module "alchemy/fs" {
  import type { Resource } from "alchemy";

  export interface FileProps {
    /** Relative to the project root. Defaults to the id. */
    path?: string;
    content: string;
  }

  export interface File extends Resource<"fs::File"> {
    path: string;
    content: string;
  }

  /** Writes a file (creating its directory); deleting the resource deletes the file. */
  export function File(id: string, props: FileProps): Promise<File>;

  export interface FolderProps {
    /** Defaults to the id. */
    path?: string;
    /** When false, the folder is kept on delete. */
    delete?: boolean;
    /** Delete the folder's contents with it. */
    clean?: boolean;
    recursive?: boolean;
  }

  export interface Folder extends Resource<"fs::Folder"> {
    path: string;
  }

  export function Folder(id: string, props?: FolderProps): Promise<Folder>;

  export interface ResourceTypes {
    "fs::File": { props: FileProps; output: File };
    "fs::Folder": { props: FolderProps; output: Folder };
  }
}

// =========================================================================================================

declare module "alchemy/state" {
  import type { Scope, Secret, State, StateStore } from "alchemy";

  /** Options of the Cloudflare API connection; each defaults to the run's (CLOUDFLARE_* variables). */
  export interface CloudflareApiOptions {
    baseUrl?: string;
    apiKey?: Secret | string;
    apiToken?: Secret | string;
    accountId?: string;
    email?: string;
  }

  /** Keeps state as the files of .alchemy/ (the default store). */
  export class FileSystemStateStore implements StateStore {
    /** rootDir replaces the .alchemy directory (relative to the working directory). */
    constructor(scope: Scope, options?: { rootDir?: string });
    list(): Promise<string[]>;
    count(): Promise<number>;
    get(key: string): Promise<State | undefined>;
    getBatch(ids: string[]): Promise<Record<string, State>>;
    all(): Promise<Record<string, State>>;
    set(key: string, value: State): Promise<void>;
    delete(key: string): Promise<void>;
  }

  export interface CloudflareStateStoreOptions extends CloudflareApiOptions {
    /** The state service Worker. Defaults to "alchemy-state-service". */
    scriptName?: string;
    /** Deploy the service again, with this token, even when it exists. */
    forceUpdate?: boolean;
    /** Defaults to ALCHEMY_STATE_TOKEN; every deployment on the account must use the same token. */
    stateToken?: Secret<string> | string;
  }

  /**
   * Keeps state in a Durable Object of the state service Worker on the account, deployed on first use; the
   * TypeScript library's service is used as it is.
   */
  export class CloudflareStateStore implements StateStore {
    constructor(scope: Scope, options?: CloudflareStateStoreOptions);
    list(): Promise<string[]>;
    count(): Promise<number>;
    get(key: string): Promise<State | undefined>;
    getBatch(ids: string[]): Promise<Record<string, State>>;
    all(): Promise<Record<string, State>>;
    set(key: string, value: State): Promise<void>;
    delete(key: string): Promise<void>;
  }

  export interface D1StateStoreOptions extends CloudflareApiOptions {
    /** The D1 database, created on first use. Defaults to "alchemy-state". */
    databaseName?: string;
  }

  /** Keeps state in a table of a D1 database on the account, created and migrated on first use. */
  export class D1StateStore implements StateStore {
    constructor(scope: Scope, options?: D1StateStoreOptions);
    list(): Promise<string[]>;
    count(): Promise<number>;
    get(key: string): Promise<State | undefined>;
    getBatch(ids: string[]): Promise<Record<string, State>>;
    all(): Promise<Record<string, State>>;
    set(key: string, value: State): Promise<void>;
    delete(key: string): Promise<void>;
  }

  export interface SQLiteStateStoreOptions {
    /** Every engine opens the same file. Defaults to "auto". */
    engine?: "auto" | "bun" | "libsql";
    /**
     * The database file (relative to the program's directory). Defaults to ALCHEMY_STATE_FILE, else
     * .alchemy/state.sqlite.
     */
    filename?: string;
    /** A file: URL, as filename; other URLs are not supported. */
    url?: `file:${string}`;
    /** Ignored: the scope's .alchemy directory is used. */
    dotAlchemy?: string;
  }

  /** Keeps state in a local SQLite file (WAL mode), by default .alchemy/state.sqlite. */
  export class SQLiteStateStore implements StateStore {
    constructor(scope: Scope, options?: SQLiteStateStoreOptions);
    list(): Promise<string[]>;
    count(): Promise<number>;
    get(key: string): Promise<State | undefined>;
    getBatch(ids: string[]): Promise<Record<string, State>>;
    all(): Promise<Record<string, State>>;
    set(key: string, value: State): Promise<void>;
    delete(key: string): Promise<void>;
  }

  /** @unsupported Constructing one fails: use CloudflareStateStore, D1StateStore or SQLiteStateStore. */
  export class DOFSStateStore implements StateStore {
    constructor(scope: Scope, options?: CloudflareApiOptions & Record<string, unknown>);
    list(): Promise<string[]>;
    count(): Promise<number>;
    get(key: string): Promise<State | undefined>;
    getBatch(ids: string[]): Promise<Record<string, State>>;
    all(): Promise<Record<string, State>>;
    set(key: string, value: State): Promise<void>;
    delete(key: string): Promise<void>;
  }

  /** @unsupported Constructing one fails: use CloudflareStateStore, D1StateStore or SQLiteStateStore. */
  export class R2RestStateStore implements StateStore {
    constructor(scope: Scope, options?: CloudflareApiOptions & { prefix?: string; bucketName?: string });
    list(): Promise<string[]>;
    count(): Promise<number>;
    get(key: string): Promise<State | undefined>;
    getBatch(ids: string[]): Promise<Record<string, State>>;
    all(): Promise<Record<string, State>>;
    set(key: string, value: State): Promise<void>;
    delete(key: string): Promise<void>;
  }
}

// =========================================================================================================

declare module "alchemy/test/vitest" {
  import type { DestroyStrategy, Scope, StateStoreType } from "alchemy";

  export interface TestOptions {
    /** Defaults to true. */
    quiet?: boolean;
    force?: boolean;
    /** Defaults to "test-password". */
    password?: string;
    /** The store of the file's app (a store of "alchemy/state"); by default, files apart from deployed state. */
    stateStore?: StateStoreType;
    /** Prefix of the file's root scope name. */
    prefix?: string;
    destroyStrategy?: DestroyStrategy;
    /** Accepted for compatibility: tests run on the in-process local Cloudflare unless `alchemy test --remote`. */
    local?: boolean;
  }

  export type ScopedTestFunction = (scope: Scope) => Promise<unknown>;

  export interface ScopedTestRegistrar {
    (name: string, fn: ScopedTestFunction, timeout?: number): void;
    (name: string, options: TestOptions, fn: ScopedTestFunction, timeout?: number): void;
  }

  /**
   * What alchemy.test(import.meta) returns: each test body runs in its own scope
   * "<file>/<describe>/<name>", finalized when the body returns. Call destroy(scope) to delete what it made.
   */
  export interface AlchemyTest extends ScopedTestRegistrar {
    skip: ScopedTestRegistrar;
    skipIf(condition: unknown): AlchemyTest;
    beforeAll(fn: (scope: Scope) => Promise<void>, timeout?: number): void;
    afterAll(fn: (scope: Scope) => Promise<void>, timeout?: number): void;
  }

  export function test(meta: ImportMeta, defaultOptions?: TestOptions): AlchemyTest;
}

declare module "alchemy" {
  export interface Alchemy {
    /** Available after `import "alchemy/test/vitest"`. */
    test(
      meta: ImportMeta,
      defaultOptions?: import("alchemy/test/vitest").TestOptions,
    ): import("alchemy/test/vitest").AlchemyTest;
  }
}

// =========================================================================================================

declare module "vitest" {
  export type Awaitable<T> = T | PromiseLike<T>;
  /** What a test's body gets: concurrent tests use its expect. */
  export interface TestContext {
    expect: ExpectStatic;
    task: { name: string };
    onTestFinished(fn: () => Awaitable<unknown>): void;
  }
  export type TestFunction = (context: TestContext) => Awaitable<unknown>;

  export interface TestOptions {
    timeout?: number;
    retry?: number;
  }

  export interface TestAPI {
    (name: string, fn?: TestFunction, timeout?: number): void;
    (name: string, options: TestOptions, fn?: TestFunction): void;
    readonly skip: TestAPI;
    readonly only: TestAPI;
    /** Runs as an ordinary test, in order: a test file runs on one event loop (files run in parallel). */
    readonly concurrent: TestAPI;
    readonly sequential: TestAPI;
    todo(name: string): void;
    skipIf(condition: unknown): TestAPI;
    runIf(condition: unknown): TestAPI;
    /** One test per case; an array case is spread into the arguments. The name may use printf %s/%d/%i/%j/%o. */
    each<T extends any[] | [any]>(cases: readonly T[]): (name: string, fn: (...args: T) => Awaitable<unknown>, timeout?: number) => void;
    each<T>(cases: readonly T[]): (name: string, fn: (arg: T) => Awaitable<unknown>, timeout?: number) => void;
  }

  export interface SuiteAPI {
    (name: string, fn: () => Awaitable<void>): void;
    readonly skip: SuiteAPI;
    readonly only: SuiteAPI;
    /** Its tests run in order, as ordinary tests. */
    readonly concurrent: SuiteAPI;
    readonly sequential: SuiteAPI;
    todo(name: string): void;
    skipIf(condition: unknown): SuiteAPI;
    runIf(condition: unknown): SuiteAPI;
    each<T extends any[] | [any]>(cases: readonly T[]): (name: string, fn: (...args: T) => Awaitable<void>) => void;
    each<T>(cases: readonly T[]): (name: string, fn: (arg: T) => Awaitable<void>) => void;
  }

  export const test: TestAPI;
  export const it: TestAPI;
  export const describe: SuiteAPI;

  export function beforeAll(fn: () => Awaitable<unknown>, timeout?: number): void;
  export function afterAll(fn: () => Awaitable<unknown>, timeout?: number): void;
  export function beforeEach(fn: () => Awaitable<unknown>, timeout?: number): void;
  export function afterEach(fn: () => Awaitable<unknown>, timeout?: number): void;

  /** The matchers; R is void for a value and Promise<void> after resolves/rejects. */
  export interface Matchers<R> {
    /** Object.is equality. */
    toBe(expected: unknown): R;
    /** Recursive equality, ignoring undefined properties. */
    toEqual(expected: unknown): R;
    /** Recursive equality that also compares undefined properties, array sparseness and classes. */
    toStrictEqual(expected: unknown): R;
    /** The value has (at least) the expected properties, recursively. */
    toMatchObject(expected: object | object[]): R;
    /** A string contains the substring, or an array or iterable contains the item (===). */
    toContain(item: unknown): R;
    toContainEqual(item: unknown): R;
    toMatch(expected: string | RegExp): R;
    /** The function throws; optionally an error whose message contains/matches expected, or of that class. */
    toThrow(expected?: string | RegExp | Error | (new (...args: any[]) => Error)): R;
    toThrowError(expected?: string | RegExp | Error | (new (...args: any[]) => Error)): R;
    toBeTruthy(): R;
    toBeFalsy(): R;
    toBeDefined(): R;
    toBeUndefined(): R;
    toBeNull(): R;
    toBeNaN(): R;
    toHaveLength(length: number): R;
    toHaveProperty(path: string | readonly (string | number)[], value?: unknown): R;
    toBeGreaterThan(expected: number | bigint): R;
    toBeGreaterThanOrEqual(expected: number | bigint): R;
    toBeLessThan(expected: number | bigint): R;
    toBeLessThanOrEqual(expected: number | bigint): R;
    toBeCloseTo(expected: number, digits?: number): R;
    toBeInstanceOf(expected: abstract new (...args: any[]) => unknown): R;
    /** The mock function (vi.fn, vi.spyOn) was called at least once. */
    toHaveBeenCalled(): R;
    toHaveBeenCalledTimes(times: number): R;
    /** Some call's arguments equal these (asymmetric matchers allowed). */
    toHaveBeenCalledWith(...args: unknown[]): R;
    toHaveBeenLastCalledWith(...args: unknown[]): R;
    toHaveBeenNthCalledWith(nth: number, ...args: unknown[]): R;
    /** The mock function returned (did not throw) at least once. */
    toHaveReturned(): R;
    toHaveReturnedTimes(times: number): R;
    toHaveReturnedWith(value: unknown): R;
    toHaveLastReturnedWith(value: unknown): R;
    toBeCalled(): R;
    toBeCalledTimes(times: number): R;
    toBeCalledWith(...args: unknown[]): R;
    lastCalledWith(...args: unknown[]): R;
    nthCalledWith(nth: number, ...args: unknown[]): R;
    toReturn(): R;
    toReturnWith(value: unknown): R;
  }

  export interface Assertion<T = unknown> extends Matchers<void> {
    readonly not: Assertion<T>;
    /** Awaits the value and applies the matcher to what it resolves to. */
    readonly resolves: PromiseAssertion<Awaited<T>>;
    /** Awaits the value and applies the matcher to the reason it rejects with. */
    readonly rejects: PromiseAssertion<unknown>;
  }

  export interface PromiseAssertion<T = unknown> extends Matchers<Promise<void>> {
    readonly not: PromiseAssertion<T>;
  }

  /** A value that equals (toEqual, toMatchObject, toHaveBeenCalledWith) whatever it accepts. */
  export interface AsymmetricMatcher {
    asymmetricMatch(other: unknown): boolean;
  }

  export interface AsymmetricMatchers {
    /** An object with at least these properties, compared with toEqual. */
    objectContaining<T = any>(sample: T): any;
    /** An array with every one of these items, in any order. */
    arrayContaining<T = unknown>(sample: readonly T[]): any;
    stringContaining(sample: string): any;
    stringMatching(pattern: string | RegExp): any;
  }

  export interface ExpectStatic extends AsymmetricMatchers {
    <T>(actual: T, message?: string): Assertion<T>;
    /** A value of this class, or of this primitive type for String, Number, Boolean, BigInt, Symbol, Function, Object. */
    any(constructor: unknown): any;
    /** Anything but null and undefined. */
    anything(): any;
    closeTo(expected: number, digits?: number): any;
    /** The inverted matchers: expect.not.objectContaining(o) matches what objectContaining(o) does not. */
    readonly not: AsymmetricMatchers;
    /** The running test must call exactly n matchers (checked when its body ends). */
    assertions(n: number): void;
    /** The running test must call at least one matcher. */
    hasAssertions(): void;
  }

  export const expect: ExpectStatic;

  export type Procedure = (...args: any[]) => any;

  export type MockResult<T> = { type: "return"; value: T } | { type: "throw"; value: unknown } | { type: "incomplete"; value: undefined };
  export type MockSettledResult<T> = { type: "fulfilled"; value: T } | { type: "rejected"; value: unknown } | { type: "incomplete"; value: undefined };

  /** What a mock function recorded; mockClear empties it. */
  export interface MockContext<T extends Procedure = Procedure> {
    calls: Parameters<T>[];
    lastCall: Parameters<T> | undefined;
    results: MockResult<ReturnType<T>>[];
    settledResults: MockSettledResult<Awaited<ReturnType<T>>>[];
    instances: unknown[];
    contexts: unknown[];
    invocationCallOrder: number[];
  }

  export interface MockInstance<T extends Procedure = Procedure> {
    readonly mock: MockContext<T>;
    getMockName(): string;
    mockName(name: string): this;
    getMockImplementation(): T | undefined;
    /** Forgets the recorded calls. */
    mockClear(): this;
    /** mockClear, and back to the implementation given to vi.fn (or the spied original). */
    mockReset(): this;
    /** mockReset, and a vi.spyOn puts the original back. */
    mockRestore(): void;
    mockImplementation(fn: T): this;
    mockImplementationOnce(fn: T): this;
    mockReturnValue(value: ReturnType<T>): this;
    mockReturnValueOnce(value: ReturnType<T>): this;
    mockResolvedValue(value: Awaited<ReturnType<T>>): this;
    mockResolvedValueOnce(value: Awaited<ReturnType<T>>): this;
    mockRejectedValue(reason: unknown): this;
    mockRejectedValueOnce(reason: unknown): this;
    mockReturnThis(): this;
  }

  export interface Mock<T extends Procedure = Procedure> extends MockInstance<T> {
    (...args: Parameters<T>): ReturnType<T>;
    new (...args: Parameters<T>): ReturnType<T>;
  }

  type Methods<T> = { [K in keyof T]-?: T[K] extends Procedure ? K : never }[keyof T];

  export interface WaitForOptions {
    /** Milliseconds before giving up; 1000 by default. */
    timeout?: number;
    /** Milliseconds between tries; 50 by default. */
    interval?: number;
  }

  /** What vi.useFakeTimers fakes and how. */
  export interface FakeTimerInstallOpts {
    /** The fake clock's start, in milliseconds since the epoch or as a Date; the real time by default. */
    now?: number | Date;
    /**
     * The globals to fake. By default all of them but queueMicrotask and nextTick: setTimeout, clearTimeout,
     * setInterval, clearInterval, setImmediate, clearImmediate, Date, performance and process.hrtime.
     */
    toFake?: FakeTimerMethod[];
    /** How many timers runAllTimers runs before it gives up on an endless loop; 10000 by default. */
    loopLimit?: number;
    /** Move the fake clock along with the real one, by advanceTimeDelta every advanceTimeDelta ms. */
    shouldAdvanceTime?: boolean;
    /** Milliseconds of each move of shouldAdvanceTime; 20 by default. */
    advanceTimeDelta?: number;
    /** Accepted for compatibility: clearing a real timer while faking always clears it. */
    shouldClearNativeTimers?: boolean;
  }

  export type FakeTimerMethod =
    | "setTimeout"
    | "clearTimeout"
    | "setImmediate"
    | "clearImmediate"
    | "setInterval"
    | "clearInterval"
    | "Date"
    | "nextTick"
    | "hrtime"
    | "performance"
    | "queueMicrotask"
    | "requestAnimationFrame"
    | "cancelAnimationFrame"
    | "requestIdleCallback"
    | "cancelIdleCallback"
    | "Intl";

  export interface VitestUtils {
    /** A mock function that records its calls and runs implementation (returns undefined without one). */
    fn<T extends Procedure = Procedure>(implementation?: T): Mock<T>;
    /** Replaces object[method] with a mock that calls the original until told otherwise. */
    spyOn<T extends object, K extends Methods<T>>(object: T, method: K): T[K] extends Procedure ? MockInstance<T[K]> : never;
    spyOn<T extends object, K extends keyof T>(object: T, property: K, access: "get"): MockInstance<() => T[K]>;
    spyOn<T extends object, K extends keyof T>(object: T, property: K, access: "set"): MockInstance<(value: T[K]) => void>;
    isMockFunction(fn: unknown): fn is Mock;
    /** Types a value as mocked; returns it as it is. */
    mocked<T>(value: T): T extends Procedure ? Mock<T> : T;
    clearAllMocks(): VitestUtils;
    resetAllMocks(): VitestUtils;
    /** Puts back every original that vi.spyOn replaced. */
    restoreAllMocks(): VitestUtils;
    /** Calls callback until it neither throws nor rejects, and returns what it returned; rejects with its last error on timeout. */
    waitFor<T>(callback: () => T | Promise<T>, options?: number | WaitForOptions): Promise<T>;
    /** Calls callback until it returns a truthy value, and returns it. */
    waitUntil<T>(callback: () => T | Promise<T>, options?: number | WaitForOptions): Promise<T>;
    /** Replaces the timer globals and Date by a fake clock that moves only when told to, until vi.useRealTimers. */
    useFakeTimers(config?: FakeTimerInstallOpts): VitestUtils;
    /** Puts the real timers and Date back; pending fake timers are dropped. */
    useRealTimers(): VitestUtils;
    isFakeTimers(): boolean;
    /** Moves the fake clock by ms, running every timer due on the way (those the timers set included). */
    advanceTimersByTime(ms: number): VitestUtils;
    /** advanceTimersByTime, letting promise callbacks run after each timer. */
    advanceTimersByTimeAsync(ms: number): Promise<VitestUtils>;
    /** Moves the fake clock to the next timer and runs it, with the others due at the same time. */
    advanceTimersToNextTimer(): VitestUtils;
    advanceTimersToNextTimerAsync(): Promise<VitestUtils>;
    /** Moves the fake clock to the start of the next 16 ms frame. */
    advanceTimersToNextFrame(): VitestUtils;
    /** Runs timers until there are none left; throws after loopLimit timers. */
    runAllTimers(): VitestUtils;
    runAllTimersAsync(): Promise<VitestUtils>;
    /** Runs the timers pending now, not those they set. */
    runOnlyPendingTimers(): VitestUtils;
    runOnlyPendingTimersAsync(): Promise<VitestUtils>;
    /** Runs the callbacks queued with a faked queueMicrotask or process.nextTick. */
    runAllTicks(): VitestUtils;
    /** How many fake timers (and faked microtasks) are waiting. */
    getTimerCount(): number;
    /** Drops every fake timer, and sets the fake clock back to its start. */
    clearAllTimers(): VitestUtils;
    /** Sets the fake clock's date (pending timers keep their remaining delays); without fake timers, freezes Date at it. */
    setSystemTime(time: number | string | Date): VitestUtils;
    /** The fake date, or null when Date is real. */
    getMockedSystemTime(): Date | null;
    /** The real time in milliseconds since the epoch, even while Date is faked. */
    getRealSystemTime(): number;
  }

  export const vi: VitestUtils;
}
