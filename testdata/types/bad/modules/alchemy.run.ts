// Imports resolve only to the modules the binary provides, and only to names they export.
import alchemy from "alchemy";
import { KVNamespce } from "alchemy/cloudflare"; // error TS2724: '"alchemy/cloudflare"' has no exported member named 'KVNamespce'. Did you mean 'KVNamespace'?
import { spawn } from "node:child_process"; // error TS2307|TS2591: Cannot find
import { readFileSync } from "node:fs/promises"; // error TS2724: '"node:fs/promises"' has no exported member named 'readFileSync'. Did you mean 'readFile'?
import { expect } from "vitest";

await alchemy("modules");
expect(1).toBeWeird(); // error TS2339: Property 'toBeWeird' does not exist on type 'Assertion<number>'
