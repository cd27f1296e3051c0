// Entry point of the alchemy type declarations: every layer. A program that has @types/node or
// @cloudflare/workers-types in its compilation refers to a subset instead (see types.go).
/// <reference path="./alchemy.d.ts" />
/// <reference path="./node.d.ts" />
/// <reference path="./web.d.ts" />
/// <reference path="./workers.d.ts" />
