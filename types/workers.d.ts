// The Cloudflare Workers runtime as alchemy serves it: the binding types (KV, R2, D1, Durable Objects,
// Queues, service bindings, Workflows), handler and context types, Workers additions to the web classes,
// and the "cloudflare:workers" module.
//
// Layer "workers". Leave it out when @cloudflare/workers-types is in the program: it declares the same
// names. Type names and type parameters follow that package, so Worker code compiles against either.

/* eslint-disable */

// ---------------------------------------------------------------------------------------------------------
// RPC

/** Type-level machinery of Workers RPC: brands that mark RPC-capable classes, and stub shapes. */
declare namespace Rpc {
  interface RpcTargetBranded {
    readonly __rpcTargetBrand: never;
  }
  interface WorkerEntrypointBranded {
    readonly __workerEntrypointBrand: never;
  }
  interface DurableObjectBranded {
    readonly __durableObjectBrand: never;
  }
  interface WorkflowEntrypointBranded {
    readonly __workflowEntrypointBrand: never;
  }
  type EntrypointBranded = WorkerEntrypointBranded | DurableObjectBranded | WorkflowEntrypointBranded;
  type Stubable = RpcTargetBranded | ((...args: any[]) => any);

  type Brands = keyof RpcTargetBranded | keyof WorkerEntrypointBranded | keyof DurableObjectBranded | keyof WorkflowEntrypointBranded;

  /**
   * What a caller sees of T through a stub: every public method, awaited; every public property, as a
   * promise of its value. Names in Reserved are handled by the runtime and are not callable remotely.
   */
  type Provider<T extends object, Reserved extends string = never> = {
    [K in Exclude<keyof T, Reserved | Brands | symbol>]: T[K] extends (...args: infer A) => infer R
      ? (...args: A) => Promise<Awaited<R>>
      : Promise<Awaited<T[K]>>;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Env

declare namespace Cloudflare {
  /**
   * The type of `env` from "cloudflare:workers" and the default Env of WorkerEntrypoint and DurableObject.
   * Open for augmentation, here or inside `declare module "cloudflare:workers" { namespace Cloudflare … }`.
   */
  interface Env {}
}

// ---------------------------------------------------------------------------------------------------------
// Handlers and contexts

interface ExecutionContext<Props = unknown> {
  /** Keeps the Worker alive until the promise settles, after the response is sent. */
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  readonly props: Props;
}

interface ScheduledController {
  /** When the cron trigger was scheduled to fire, in milliseconds since the epoch. */
  readonly scheduledTime: number;
  /** The cron expression that fired, e.g. "*\/5 * * * *". */
  readonly cron: string;
  noRetry(): void;
}

declare abstract class ScheduledEvent extends Event {
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry(): void;
  waitUntil(promise: Promise<unknown>): void;
}

interface AlarmInvocationInfo {
  readonly isRetry: boolean;
  readonly retryCount: number;
}

type ExportedHandlerFetchHandler<Env = unknown, CfHostMetadata = unknown> = (
  request: Request,
  env: Env,
  ctx: ExecutionContext,
) => Response | Promise<Response>;

type ExportedHandlerScheduledHandler<Env = unknown> = (
  controller: ScheduledController,
  env: Env,
  ctx: ExecutionContext,
) => void | Promise<void>;

type ExportedHandlerQueueHandler<Env = unknown, Message = unknown> = (
  batch: MessageBatch<Message>,
  env: Env,
  ctx: ExecutionContext,
) => void | Promise<void>;

/** The default export of a module Worker. */
interface ExportedHandler<Env = unknown, QueueHandlerMessage = unknown, CfHostMetadata = unknown> {
  fetch?: ExportedHandlerFetchHandler<Env, CfHostMetadata>;
  scheduled?: ExportedHandlerScheduledHandler<Env>;
  queue?: ExportedHandlerQueueHandler<Env, QueueHandlerMessage>;
}

// ---------------------------------------------------------------------------------------------------------
// Workers additions to the web classes

interface IncomingRequestCfProperties {
  readonly asn?: number;
  readonly asOrganization?: string;
  readonly colo?: string;
  readonly country?: string;
  readonly city?: string;
  readonly continent?: string;
  readonly region?: string;
  readonly regionCode?: string;
  readonly postalCode?: string;
  readonly latitude?: string;
  readonly longitude?: string;
  readonly timezone?: string;
  readonly httpProtocol?: string;
  readonly tlsVersion?: string;
  readonly clientTcpRtt?: number;
  readonly [property: string]: unknown;
}

interface RequestInitCfProperties {
  cacheEverything?: boolean;
  cacheKey?: string;
  cacheTtl?: number;
  cacheTtlByStatus?: Record<string, number>;
  resolveOverride?: string;
  [property: string]: unknown;
}

interface Request {
  /** Cloudflare's request metadata; absent on requests a Worker builds itself. */
  readonly cf?: IncomingRequestCfProperties;
}

interface RequestInit {
  cf?: RequestInitCfProperties;
}

interface Response {
  /** The client end of a WebSocket for a 101 response. */
  readonly webSocket?: WebSocket | null;
}

interface ResponseInit {
  webSocket?: WebSocket | null;
}

interface WebSocket {
  /** Accepts the server end of a WebSocketPair so this Worker handles its events. */
  accept(): void;
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
}

/**
 * new WebSocketPair() gives the client end (0) for the Response and the server end (1) for the Worker;
 * `const [client, server] = new WebSocketPair()` works too.
 */
declare var WebSocketPair: {
  new (): { 0: WebSocket; 1: WebSocket; [Symbol.iterator](): IterableIterator<WebSocket> };
};

/** A message a Durable Object's WebSockets answer without waking the object (setWebSocketAutoResponse). */
declare class WebSocketRequestResponsePair {
  constructor(request: string, response: string);
  readonly request: string;
  readonly response: string;
}

interface SubtleCrypto {
  /** Compares two buffers in constant time. */
  timingSafeEqual(a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView): boolean;
}

interface CacheQueryOptions {
  ignoreMethod?: boolean;
}

interface Cache {
  match(request: Request | string | URL, options?: CacheQueryOptions): Promise<Response | undefined>;
  put(request: Request | string | URL, response: Response): Promise<void>;
  delete(request: Request | string | URL, options?: CacheQueryOptions): Promise<boolean>;
}

interface CacheStorage {
  readonly default: Cache;
  open(cacheName: string): Promise<Cache>;
}

declare var caches: CacheStorage;

// ---------------------------------------------------------------------------------------------------------
// HTMLRewriter

/** How inserted content is taken: as text (escaped, the default) or, with html: true, as markup. */
interface ContentOptions {
  html?: boolean;
}

/**
 * A streaming HTML rewriter: handlers registered for CSS selectors (and for the document as a whole) see
 * the elements, text chunks and comments of a response body as it passes through, and may change them.
 */
declare class HTMLRewriter {
  constructor();
  /** Registers handlers for the elements `selector` matches (and the text and comments inside them). */
  on(selector: string, handlers: HTMLRewriterElementContentHandlers): HTMLRewriter;
  /** Registers handlers for the doctype, every text chunk and comment, and the end of the document. */
  onDocument(handlers: HTMLRewriterDocumentContentHandlers): HTMLRewriter;
  /** A response like `response` (status and headers, less Content-Length) whose body is rewritten. */
  transform(response: Response): Response;
}

interface HTMLRewriterElementContentHandlers {
  element?(element: Element): void | Promise<void>;
  comments?(comment: Comment): void | Promise<void>;
  text?(element: Text): void | Promise<void>;
}

interface HTMLRewriterDocumentContentHandlers {
  doctype?(doctype: Doctype): void | Promise<void>;
  comments?(comment: Comment): void | Promise<void>;
  text?(text: Text): void | Promise<void>;
  end?(end: DocumentEnd): void | Promise<void>;
}

interface Doctype {
  readonly name: string | null;
  readonly publicId: string | null;
  readonly systemId: string | null;
}

/** An element's start tag, while its handler runs. */
interface Element {
  /** The tag name, in lower case; setting it renames the end tag too. */
  tagName: string;
  /** The attributes as [name, value] pairs, values as written in the source. */
  readonly attributes: IterableIterator<string[]>;
  readonly removed: boolean;
  readonly namespaceURI: string;
  /** The start tag ends with "/>". */
  readonly selfClosing: boolean;
  /** False for void elements (and self-closing ones in SVG or MathML): they have no content or end tag. */
  readonly canHaveContent: boolean;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): Element;
  removeAttribute(name: string): Element;
  before(content: string | ReadableStream | Response, options?: ContentOptions): Element;
  after(content: string | ReadableStream | Response, options?: ContentOptions): Element;
  prepend(content: string | ReadableStream | Response, options?: ContentOptions): Element;
  append(content: string | ReadableStream | Response, options?: ContentOptions): Element;
  /** Replaces the element and its content. */
  replace(content: string | ReadableStream | Response, options?: ContentOptions): Element;
  /** Removes the element and its content. */
  remove(): Element;
  /** Removes the start and end tags, keeping what is between them. */
  removeAndKeepContent(): Element;
  setInnerContent(content: string | ReadableStream | Response, options?: ContentOptions): Element;
  /** Runs handler when the element's end tag is reached. */
  onEndTag(handler: (tag: EndTag) => void | Promise<void>): void;
}

interface EndTag {
  name: string;
  before(content: string | ReadableStream | Response, options?: ContentOptions): EndTag;
  after(content: string | ReadableStream | Response, options?: ContentOptions): EndTag;
  remove(): EndTag;
}

interface Comment {
  text: string;
  readonly removed: boolean;
  before(content: string, options?: ContentOptions): Comment;
  after(content: string, options?: ContentOptions): Comment;
  replace(content: string, options?: ContentOptions): Comment;
  remove(): Comment;
}

/** A chunk of a text node: a node may come in several chunks, the last one flagged (and maybe empty). */
interface Text {
  /** The chunk's text as written in the source (character references are not decoded). */
  readonly text: string;
  readonly lastInTextNode: boolean;
  readonly removed: boolean;
  before(content: string | ReadableStream | Response, options?: ContentOptions): Text;
  after(content: string | ReadableStream | Response, options?: ContentOptions): Text;
  replace(content: string | ReadableStream | Response, options?: ContentOptions): Text;
  remove(): Text;
}

interface DocumentEnd {
  append(content: string, options?: ContentOptions): DocumentEnd;
}

// ---------------------------------------------------------------------------------------------------------
// Service bindings

/** A binding to another Worker (or to an entrypoint T of one): fetch() plus T's RPC methods. */
type Fetcher<T extends Rpc.EntrypointBranded | undefined = undefined, Reserved extends string = never> = (T extends Rpc.EntrypointBranded
  ? Rpc.Provider<T, Reserved | "fetch" | "connect">
  : unknown) & {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
};

/** A service binding to a Worker whose entrypoint is T (a WorkerEntrypoint class or instance type). */
type Service<
  T extends (new (...args: any[]) => Rpc.WorkerEntrypointBranded) | Rpc.WorkerEntrypointBranded | undefined = undefined,
> = T extends new (...args: any[]) => infer I
  ? I extends Rpc.WorkerEntrypointBranded
    ? Fetcher<I>
    : Fetcher
  : T extends Rpc.WorkerEntrypointBranded
    ? Fetcher<T>
    : Fetcher;

/** The version_metadata binding. */
type WorkerVersionMetadata = {
  readonly id: string;
  readonly tag: string;
  readonly timestamp: string;
};

// ---------------------------------------------------------------------------------------------------------
// KV

interface KVNamespaceGetOptions<Type> {
  type: Type;
  /** Seconds the value may be cached at the edge (at least 60). */
  cacheTtl?: number;
}

interface KVNamespacePutOptions {
  /** Seconds since the epoch at which the key expires. */
  expiration?: number;
  /** Seconds from now after which the key expires (at least 60). */
  expirationTtl?: number;
  /** Up to 1024 bytes of JSON kept with the key and returned by list() and getWithMetadata(). */
  metadata?: any;
}

interface KVNamespaceListOptions {
  limit?: number;
  prefix?: string | null;
  cursor?: string | null;
}

interface KVNamespaceListKey<Metadata, Key extends string = string> {
  name: Key;
  expiration?: number;
  metadata?: Metadata;
}

type KVNamespaceListResult<Metadata, Key extends string = string> =
  | { list_complete: false; keys: KVNamespaceListKey<Metadata, Key>[]; cursor: string; cacheStatus: string | null }
  | { list_complete: true; keys: KVNamespaceListKey<Metadata, Key>[]; cacheStatus: string | null };

interface KVNamespaceGetWithMetadataResult<Value, Metadata> {
  value: Value | null;
  metadata: Metadata | null;
  cacheStatus: string | null;
}

/** A Workers KV namespace binding. Missing keys read as null. */
interface KVNamespace<Key extends string = string> {
  get(key: Key, options?: Partial<KVNamespaceGetOptions<undefined>>): Promise<string | null>;
  get(key: Key, type: "text"): Promise<string | null>;
  get<ExpectedValue = unknown>(key: Key, type: "json"): Promise<ExpectedValue | null>;
  get(key: Key, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  get(key: Key, type: "stream"): Promise<ReadableStream | null>;
  get(key: Key, options: KVNamespaceGetOptions<"text">): Promise<string | null>;
  get<ExpectedValue = unknown>(key: Key, options: KVNamespaceGetOptions<"json">): Promise<ExpectedValue | null>;
  get(key: Key, options: KVNamespaceGetOptions<"arrayBuffer">): Promise<ArrayBuffer | null>;
  get(key: Key, options: KVNamespaceGetOptions<"stream">): Promise<ReadableStream | null>;
  /** Reads up to 100 keys at once. */
  get(keys: Key[], type?: "text"): Promise<Map<string, string | null>>;
  get<ExpectedValue = unknown>(keys: Key[], type: "json"): Promise<Map<string, ExpectedValue | null>>;

  getWithMetadata<Metadata = unknown>(
    key: Key,
    options?: Partial<KVNamespaceGetOptions<undefined>>,
  ): Promise<KVNamespaceGetWithMetadataResult<string, Metadata>>;
  getWithMetadata<Metadata = unknown>(key: Key, type: "text"): Promise<KVNamespaceGetWithMetadataResult<string, Metadata>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Key,
    type: "json",
  ): Promise<KVNamespaceGetWithMetadataResult<ExpectedValue, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    type: "arrayBuffer",
  ): Promise<KVNamespaceGetWithMetadataResult<ArrayBuffer, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    type: "stream",
  ): Promise<KVNamespaceGetWithMetadataResult<ReadableStream, Metadata>>;

  put(key: Key, value: string | ArrayBuffer | ArrayBufferView | ReadableStream, options?: KVNamespacePutOptions): Promise<void>;
  delete(key: Key): Promise<void>;
  list<Metadata = unknown>(options?: KVNamespaceListOptions): Promise<KVNamespaceListResult<Metadata, Key>>;
}

// ---------------------------------------------------------------------------------------------------------
// R2

interface R2HTTPMetadata {
  contentType?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  cacheControl?: string;
  cacheExpiry?: Date;
}

interface R2Checksums {
  readonly md5?: ArrayBuffer;
  readonly sha1?: ArrayBuffer;
  readonly sha256?: ArrayBuffer;
  readonly sha384?: ArrayBuffer;
  readonly sha512?: ArrayBuffer;
  toJSON(): Record<string, string | undefined>;
}

type R2Range = { offset: number; length?: number } | { offset?: number; length: number } | { suffix: number };

interface R2Conditional {
  etagMatches?: string;
  etagDoesNotMatch?: string;
  uploadedBefore?: Date;
  uploadedAfter?: Date;
}

interface R2GetOptions {
  onlyIf?: R2Conditional | Headers;
  range?: R2Range | Headers;
}

interface R2PutOptions {
  onlyIf?: R2Conditional | Headers;
  httpMetadata?: R2HTTPMetadata | Headers;
  customMetadata?: Record<string, string>;
  md5?: ArrayBuffer | string;
  sha1?: ArrayBuffer | string;
  sha256?: ArrayBuffer | string;
  storageClass?: string;
}

interface R2ListOptions {
  limit?: number;
  prefix?: string;
  cursor?: string;
  delimiter?: string;
  startAfter?: string;
  include?: ("httpMetadata" | "customMetadata")[];
}

/** Metadata of a stored object (head(), put(), list()). */
interface R2Object {
  readonly key: string;
  readonly version: string;
  readonly size: number;
  readonly etag: string;
  readonly httpEtag: string;
  readonly checksums: R2Checksums;
  readonly uploaded: Date;
  readonly httpMetadata?: R2HTTPMetadata;
  readonly customMetadata?: Record<string, string>;
  readonly range?: R2Range;
  readonly storageClass: string;
  writeHttpMetadata(headers: Headers): void;
}

/** An object with its body (get()). The body can be read once. */
interface R2ObjectBody extends R2Object {
  readonly body: ReadableStream;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json<T = unknown>(): Promise<T>;
  blob(): Promise<Blob>;
}

type R2Objects = {
  objects: R2Object[];
  delimitedPrefixes: string[];
} & ({ truncated: true; cursor: string } | { truncated: false });

interface R2UploadedPart {
  partNumber: number;
  etag: string;
}

interface R2MultipartUpload {
  readonly key: string;
  readonly uploadId: string;
  uploadPart(partNumber: number, value: ReadableStream | ArrayBuffer | ArrayBufferView | string | Blob): Promise<R2UploadedPart>;
  abort(): Promise<void>;
  complete(uploadedParts: R2UploadedPart[]): Promise<R2Object>;
}

/** An R2 bucket binding. */
interface R2Bucket {
  head(key: string): Promise<R2Object | null>;
  get(key: string, options: R2GetOptions & { onlyIf: R2Conditional | Headers }): Promise<R2ObjectBody | R2Object | null>;
  get(key: string, options?: R2GetOptions): Promise<R2ObjectBody | null>;
  put(
    key: string,
    value: ReadableStream | ArrayBuffer | ArrayBufferView | string | null | Blob,
    options?: R2PutOptions & { onlyIf: R2Conditional | Headers },
  ): Promise<R2Object | null>;
  put(key: string, value: ReadableStream | ArrayBuffer | ArrayBufferView | string | null | Blob, options?: R2PutOptions): Promise<R2Object>;
  delete(keys: string | string[]): Promise<void>;
  list(options?: R2ListOptions): Promise<R2Objects>;
  createMultipartUpload(key: string, options?: Omit<R2PutOptions, "onlyIf">): Promise<R2MultipartUpload>;
  resumeMultipartUpload(key: string, uploadId: string): R2MultipartUpload;
}

// ---------------------------------------------------------------------------------------------------------
// D1

interface D1Meta {
  duration: number;
  size_after: number;
  rows_read: number;
  rows_written: number;
  last_row_id: number;
  changed_db: boolean;
  changes: number;
  served_by?: string;
}

interface D1Response {
  success: true;
  meta: D1Meta & Record<string, unknown>;
  error?: never;
}

type D1Result<T = unknown> = D1Response & {
  results: T[];
};

interface D1ExecResult {
  count: number;
  duration: number;
}

/** A SQL statement with its bound parameters. Bind with ?1 / ? placeholders. */
interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  /** The first row's column colName, or null when there is no row. */
  first<T = unknown>(colName: string): Promise<T | null>;
  /** The first row, or null when there is no row. */
  first<T = Record<string, unknown>>(): Promise<T | null>;
  run<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
}

/** A D1 database binding. */
interface D1Database {
  prepare(query: string): D1PreparedStatement;
  /** Runs the statements in one transaction; a failure rolls all of them back. */
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
  /** Runs one or more ;-separated statements without parameters. */
  exec(query: string): Promise<D1ExecResult>;
}

// ---------------------------------------------------------------------------------------------------------
// Durable Objects

type DurableObjectJurisdiction = "eu" | "fedramp" | "fedramp-high";
type DurableObjectLocationHint = "wnam" | "enam" | "sam" | "weur" | "eeur" | "apac" | "oc" | "afr" | "me";

interface DurableObjectId {
  toString(): string;
  equals(other: DurableObjectId): boolean;
  /** The name given to idFromName(), when this id came from it. */
  readonly name?: string;
}

/** A client of one Durable Object: fetch() plus the object's RPC methods when T is its class. */
type DurableObjectStub<T extends Rpc.DurableObjectBranded | undefined = undefined> = Fetcher<
  T,
  "alarm" | "webSocketMessage" | "webSocketClose" | "webSocketError"
> & {
  readonly id: DurableObjectId;
  readonly name?: string;
};

/** A Durable Object namespace binding. T is the Durable Object class (its instance type). */
interface DurableObjectNamespace<T extends Rpc.DurableObjectBranded | undefined = undefined> {
  newUniqueId(options?: { jurisdiction?: DurableObjectJurisdiction }): DurableObjectId;
  idFromName(name: string): DurableObjectId;
  idFromString(id: string): DurableObjectId;
  get(id: DurableObjectId, options?: { locationHint?: DurableObjectLocationHint }): DurableObjectStub<T>;
  getByName(name: string, options?: { locationHint?: DurableObjectLocationHint }): DurableObjectStub<T>;
  jurisdiction(jurisdiction: DurableObjectJurisdiction): DurableObjectNamespace<T>;
}

interface DurableObjectGetOptions {
  allowConcurrency?: boolean;
  noCache?: boolean;
}

interface DurableObjectPutOptions {
  allowConcurrency?: boolean;
  allowUnconfirmed?: boolean;
  noCache?: boolean;
}

interface DurableObjectListOptions {
  start?: string;
  startAfter?: string;
  end?: string;
  prefix?: string;
  reverse?: boolean;
  limit?: number;
  allowConcurrency?: boolean;
  noCache?: boolean;
}

type SqlStorageValue = ArrayBuffer | string | number | null;

/** The rows of one sql.exec() call. Iterate it, or use toArray() / one(). */
interface SqlStorageCursor<T extends Record<string, SqlStorageValue>> {
  next(): { done?: false; value: T } | { done: true; value?: never };
  toArray(): T[];
  /** The only row; throws unless there is exactly one. */
  one(): T;
  raw<U extends SqlStorageValue[]>(): IterableIterator<U>;
  readonly columnNames: string[];
  readonly rowsRead: number;
  readonly rowsWritten: number;
  [Symbol.iterator](): IterableIterator<T>;
}

/** SQLite storage of a SQLite-backed Durable Object. */
interface SqlStorage {
  exec<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T>;
  readonly databaseSize: number;
}

interface DurableObjectTransaction {
  get<T = unknown>(key: string, options?: DurableObjectGetOptions): Promise<T | undefined>;
  get<T = unknown>(keys: string[], options?: DurableObjectGetOptions): Promise<Map<string, T>>;
  list<T = unknown>(options?: DurableObjectListOptions): Promise<Map<string, T>>;
  put<T>(key: string, value: T, options?: DurableObjectPutOptions): Promise<void>;
  put<T>(entries: Record<string, T>, options?: DurableObjectPutOptions): Promise<void>;
  delete(key: string, options?: DurableObjectPutOptions): Promise<boolean>;
  delete(keys: string[], options?: DurableObjectPutOptions): Promise<number>;
  rollback(): void;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number | Date): Promise<void>;
  deleteAlarm(): Promise<void>;
}

/** Storage of one Durable Object: a key-value API and, when SQLite-backed, sql. */
interface DurableObjectStorage {
  get<T = unknown>(key: string, options?: DurableObjectGetOptions): Promise<T | undefined>;
  get<T = unknown>(keys: string[], options?: DurableObjectGetOptions): Promise<Map<string, T>>;
  list<T = unknown>(options?: DurableObjectListOptions): Promise<Map<string, T>>;
  put<T>(key: string, value: T, options?: DurableObjectPutOptions): Promise<void>;
  put<T>(entries: Record<string, T>, options?: DurableObjectPutOptions): Promise<void>;
  delete(key: string, options?: DurableObjectPutOptions): Promise<boolean>;
  delete(keys: string[], options?: DurableObjectPutOptions): Promise<number>;
  deleteAll(options?: DurableObjectPutOptions): Promise<void>;
  transaction<T>(closure: (txn: DurableObjectTransaction) => Promise<T>): Promise<T>;
  transactionSync<T>(closure: () => T): T;
  getAlarm(options?: { allowConcurrency?: boolean }): Promise<number | null>;
  setAlarm(scheduledTime: number | Date, options?: { allowUnconfirmed?: boolean }): Promise<void>;
  deleteAlarm(options?: { allowUnconfirmed?: boolean }): Promise<void>;
  sync(): Promise<void>;
  readonly sql: SqlStorage;
}

/** What a Durable Object receives as its first constructor argument. */
interface DurableObjectState {
  readonly id: DurableObjectId;
  readonly storage: DurableObjectStorage;
  waitUntil(promise: Promise<unknown>): void;
  /** Runs callback with no other event delivered to the object until it settles. */
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
  acceptWebSocket(ws: WebSocket, tags?: string[]): void;
  getWebSockets(tag?: string): WebSocket[];
  getTags(ws: WebSocket): string[];
  setWebSocketAutoResponse(pair?: WebSocketRequestResponsePair): void;
  getWebSocketAutoResponse(): WebSocketRequestResponsePair | null;
  getWebSocketAutoResponseTimestamp(ws: WebSocket): Date | null;
  abort(reason?: string): void;
}

/** The shape of a Durable Object class written without extending DurableObject from "cloudflare:workers". */
interface DurableObject {
  fetch?(request: Request): Response | Promise<Response>;
  alarm?(alarmInfo?: AlarmInvocationInfo): void | Promise<void>;
  webSocketMessage?(ws: WebSocket, message: string | ArrayBuffer): void | Promise<void>;
  webSocketClose?(ws: WebSocket, code: number, reason: string, wasClean: boolean): void | Promise<void>;
  webSocketError?(ws: WebSocket, error: unknown): void | Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Queues

type QueueContentType = "text" | "bytes" | "json" | "v8";

interface QueueSendOptions {
  contentType?: QueueContentType;
  delaySeconds?: number;
}

interface QueueSendBatchOptions {
  delaySeconds?: number;
}

interface MessageSendRequest<Body = unknown> {
  body: Body;
  contentType?: QueueContentType;
  delaySeconds?: number;
}

/** A queue producer binding. */
interface Queue<Body = unknown> {
  send(message: Body, options?: QueueSendOptions): Promise<void>;
  sendBatch(messages: Iterable<MessageSendRequest<Body>>, options?: QueueSendBatchOptions): Promise<void>;
}

interface QueueRetryOptions {
  delaySeconds?: number;
}

interface Message<Body = unknown> {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: Body;
  readonly attempts: number;
  retry(options?: QueueRetryOptions): void;
  ack(): void;
}

/** What a queue() handler receives. Messages neither acked nor retried are acked when it returns. */
interface MessageBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly Message<Body>[];
  retryAll(options?: QueueRetryOptions): void;
  ackAll(): void;
}

// ---------------------------------------------------------------------------------------------------------
// Workflows

type WorkflowInstanceStatus = "queued" | "running" | "paused" | "errored" | "terminated" | "complete" | "waiting" | "waitingForPause" | "unknown";

interface InstanceStatus {
  status: WorkflowInstanceStatus;
  error?: { name: string; message: string };
  output?: unknown;
}

interface WorkflowInstanceCreateOptions<PARAMS = unknown> {
  id?: string;
  params?: PARAMS;
}

interface WorkflowInstance {
  readonly id: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
  terminate(): Promise<void>;
  restart(): Promise<void>;
  status(): Promise<InstanceStatus>;
  sendEvent(event: { type: string; payload: unknown }): Promise<void>;
}

/** A Workflow binding: starts and looks up instances of the Workflow. */
interface Workflow<PARAMS = unknown> {
  get(id: string): Promise<WorkflowInstance>;
  create(options?: WorkflowInstanceCreateOptions<PARAMS>): Promise<WorkflowInstance>;
  createBatch(batch: WorkflowInstanceCreateOptions<PARAMS>[]): Promise<WorkflowInstance[]>;
}

// ---------------------------------------------------------------------------------------------------------
// The "cloudflare:workers" module

declare module "cloudflare:workers" {
  /** Augment Cloudflare.Env here or globally; both reach `env` and the default Env of the base classes. */
  namespace Cloudflare {
    interface Env extends globalThis.Cloudflare.Env {}
  }

  /** The bindings of the running Worker. */
  export const env: Cloudflare.Env;

  /** Keeps the Worker alive until the promise settles. */
  export function waitUntil(promise: Promise<unknown>): void;

  /** Base class of objects that can be passed by reference over RPC. */
  export abstract class RpcTarget implements Rpc.RpcTargetBranded {
    readonly __rpcTargetBrand: never;
  }

  /** Base class of a named or default Worker entrypoint whose public methods are callable over RPC. */
  export abstract class WorkerEntrypoint<Env = Cloudflare.Env, Props = {}> implements Rpc.WorkerEntrypointBranded {
    readonly __workerEntrypointBrand: never;
    protected ctx: ExecutionContext<Props>;
    protected env: Env;
    constructor(ctx: ExecutionContext, env: Env);
    fetch?(request: Request): Response | Promise<Response>;
    scheduled?(controller: ScheduledController): void | Promise<void>;
    queue?(batch: MessageBatch<unknown>): void | Promise<void>;
  }

  /** Base class of a Durable Object whose public methods are callable over RPC through its stubs. */
  export abstract class DurableObject<Env = Cloudflare.Env> implements Rpc.DurableObjectBranded {
    readonly __durableObjectBrand: never;
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
    fetch?(request: Request): Response | Promise<Response>;
    alarm?(alarmInfo?: AlarmInvocationInfo): void | Promise<void>;
    webSocketMessage?(ws: WebSocket, message: string | ArrayBuffer): void | Promise<void>;
    webSocketClose?(ws: WebSocket, code: number, reason: string, wasClean: boolean): void | Promise<void>;
    webSocketError?(ws: WebSocket, error: unknown): void | Promise<void>;
  }

  export type WorkflowDurationLabel = "second" | "minute" | "hour" | "day" | "week" | "month" | "year";
  export type WorkflowSleepDuration = `${number} ${WorkflowDurationLabel}${"s" | ""}` | number;
  export type WorkflowBackoff = "constant" | "linear" | "exponential";

  export interface WorkflowStepConfig {
    retries?: { limit: number; delay: WorkflowSleepDuration; backoff?: WorkflowBackoff };
    timeout?: WorkflowSleepDuration;
  }

  export interface WorkflowEvent<T> {
    readonly payload: Readonly<T>;
    readonly timestamp: Date;
    readonly instanceId: string;
  }

  export interface WorkflowStepEvent<T> {
    readonly payload: Readonly<T>;
    readonly timestamp: Date;
    readonly type: string;
  }

  /** The durable steps of a Workflow run: each named step's result is kept and not re-run on retry. */
  export interface WorkflowStep {
    do<T>(name: string, callback: () => Promise<T>): Promise<T>;
    do<T>(name: string, config: WorkflowStepConfig, callback: () => Promise<T>): Promise<T>;
    sleep(name: string, duration: WorkflowSleepDuration): Promise<void>;
    sleepUntil(name: string, timestamp: Date | number): Promise<void>;
    waitForEvent<T>(name: string, options: { type: string; timeout?: WorkflowSleepDuration }): Promise<WorkflowStepEvent<T>>;
  }

  /** Base class of a Workflow: run() is called for every instance with its params as event.payload. */
  export abstract class WorkflowEntrypoint<Env = Cloudflare.Env, T = unknown> implements Rpc.WorkflowEntrypointBranded {
    readonly __workflowEntrypointBrand: never;
    protected ctx: ExecutionContext;
    protected env: Env;
    constructor(ctx: ExecutionContext, env: Env);
    run(event: Readonly<WorkflowEvent<T>>, step: WorkflowStep): Promise<unknown>;
  }
}
