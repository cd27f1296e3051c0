// Package types holds the TypeScript declarations that let alchemy programs and their Workers type-check
// with no node_modules: the built-in modules ("alchemy", "alchemy/cloudflare", "alchemy/fs",
// "alchemy/test/vitest", "vitest", the node:* modules, "cloudflare:workers"), the web globals and the
// Workers runtime types. alchemy init and alchemy types write them into a project. Tests compare them
// with the modules and providers the binary serves, so the two cannot drift apart.
//
// The declarations come in layers, one file each, because some globals can only be declared once and
// @types/node and @cloudflare/workers-types declare them too:
//
//	alchemy.d.ts  the alchemy modules and vitest; no globals; always needed
//	node.d.ts     node:* modules, the NodeJS namespace, import.meta; replaced by @types/node
//	web.d.ts      fetch, URL, streams, crypto, timers, console, process, Buffer; replaced by either package
//	workers.d.ts  KV, R2, D1, Durable Objects, Queues, Fetcher, cloudflare:workers; replaced by @cloudflare/workers-types
//
// index.d.ts references the layers a project needs, and tsconfig.json includes index.d.ts. One more file,
// opt-in/vitest/globals.d.ts, declares the globals `alchemy test` gives test files; a project opts in as
// with vitest, by the type reference "vitest/globals", which tsconfig's typeRoots resolve to it.
package types

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
)

// Dir is where a project keeps the declarations, relative to its root.
const Dir = ".alchemy/types"

// Layer files, in the order index.d.ts references them.
const (
	AlchemyFile = "alchemy.d.ts"
	NodeFile    = "node.d.ts"
	WebFile     = "web.d.ts"
	WorkersFile = "workers.d.ts"
	IndexFile   = "index.d.ts"
	// VitestGlobalsFile declares describe, test, it, expect and the hooks as globals, for test files that
	// opt in with /// <reference types="vitest/globals" />. Its directory, OptInDir, is a typeRoot.
	VitestGlobalsFile = OptInDir + "/vitest/globals.d.ts"
	OptInDir          = "opt-in"
)

//go:embed alchemy.d.ts node.d.ts web.d.ts workers.d.ts opt-in/vitest/globals.d.ts
var layers embed.FS

// Options says which declaration packages from npm a project compiles with, so that the layers those
// packages replace are left out.
type Options struct {
	// NodeTypes: @types/node is in the compilation ("types": ["node"]).
	NodeTypes bool
	// WorkersTypes: @cloudflare/workers-types is in the compilation.
	WorkersTypes bool
}

// Layers returns the layer files the project needs, in reference order.
func (o Options) Layers() []string {
	names := []string{AlchemyFile}
	if !o.NodeTypes {
		names = append(names, NodeFile)
	}
	if !o.NodeTypes && !o.WorkersTypes {
		names = append(names, WebFile)
	}
	if !o.WorkersTypes {
		names = append(names, WorkersFile)
	}
	return names
}

// Files returns the contents of Dir for a project: every layer file, the opt-in vitest globals and an
// index.d.ts that references the layers opts needs. Keys are slash-separated paths relative to Dir.
func Files(opts Options) map[string][]byte {
	files := make(map[string][]byte, 6)
	for _, name := range []string{AlchemyFile, NodeFile, WebFile, WorkersFile, VitestGlobalsFile} {
		data, err := layers.ReadFile(name)
		if err != nil {
			panic(fmt.Sprintf("types: embedded %s: %v", name, err)) // the embed directive guarantees it
		}
		files[name] = data
	}
	files[IndexFile] = index(opts)
	return files
}

func index(opts Options) []byte {
	var b bytes.Buffer
	b.WriteString("// Type declarations of the alchemy binary, written by `alchemy init` and `alchemy types`.\n")
	b.WriteString("// Regenerate with `alchemy types` after upgrading alchemy; do not edit.\n")
	if opts.NodeTypes {
		b.WriteString("// node.d.ts and web.d.ts are left out: @types/node declares them.\n")
	}
	if opts.WorkersTypes {
		b.WriteString("// web.d.ts and workers.d.ts are left out: @cloudflare/workers-types declares them.\n")
	}
	for _, name := range opts.Layers() {
		fmt.Fprintf(&b, "/// <reference path=\"./%s\" />\n", name)
	}
	return b.Bytes()
}

// TSConfig is the compiler configuration alchemy init writes as tsconfig.json at the project root.
type TSConfig struct {
	CompilerOptions CompilerOptions `json:"compilerOptions"`
	Include         []string        `json:"include"`
}

// CompilerOptions are the tsconfig compilerOptions alchemy needs. The program and its Workers are
// bundled by esbuild, so TypeScript only checks: module "Preserve" with bundler resolution, top-level
// await in every file, and imports that name .ts files ("../alchemy.run.ts").
type CompilerOptions struct {
	Target                           string   `json:"target"`
	Lib                              []string `json:"lib"`
	Module                           string   `json:"module"`
	ModuleResolution                 string   `json:"moduleResolution"`
	ModuleDetection                  string   `json:"moduleDetection"`
	Types                            []string `json:"types"`
	TypeRoots                        []string `json:"typeRoots"`
	Strict                           bool     `json:"strict"`
	NoEmit                           bool     `json:"noEmit"`
	AllowImportingTsExtensions       bool     `json:"allowImportingTsExtensions"`
	IsolatedModules                  bool     `json:"isolatedModules"`
	ResolveJSONModule                bool     `json:"resolveJsonModule"`
	ForceConsistentCasingInFileNames bool     `json:"forceConsistentCasingInFileNames"`
}

// NewTSConfig returns the tsconfig.json for a project whose declarations live in Dir.
func NewTSConfig(opts Options) TSConfig {
	types := []string{}
	if opts.NodeTypes {
		types = append(types, "node")
	}
	if opts.WorkersTypes {
		types = append(types, "@cloudflare/workers-types")
	}
	// The opt-in directory resolves "vitest/globals". It holds nothing else: a type reference "node"
	// must not find the node layer. node_modules/@types ("node") and node_modules
	// ("@cloudflare/workers-types") are where TypeScript looks when typeRoots is not set.
	typeRoots := []string{"./" + path.Join(Dir, OptInDir), "./node_modules/@types", "./node_modules"}
	return TSConfig{
		CompilerOptions: CompilerOptions{
			Target:                           "ES2022",
			Lib:                              []string{"ES2022", "ESNext.Disposable"},
			Module:                           "Preserve",
			ModuleResolution:                 "Bundler",
			ModuleDetection:                  "force",
			Types:                            types,
			TypeRoots:                        typeRoots,
			Strict:                           true,
			NoEmit:                           true,
			AllowImportingTsExtensions:       true,
			IsolatedModules:                  true,
			ResolveJSONModule:                true,
			ForceConsistentCasingInFileNames: true,
		},
		// "**/*" does not descend into directories whose names start with a dot, so .alchemy/ is
		// reached only through the index.
		Include: []string{"**/*.ts", path.Join(Dir, IndexFile)},
	}
}

// JSON returns c as an indented tsconfig.json document.
func (c TSConfig) JSON() []byte {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("types: marshal tsconfig: %v", err)) // plain strings and bools cannot fail
	}
	return append(data, '\n')
}
