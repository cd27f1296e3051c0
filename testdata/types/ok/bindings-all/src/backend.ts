// A Worker whose entrypoint has RPC methods; the program passes `rpc: type<Backend>`.
import { WorkerEntrypoint } from "cloudflare:workers";

export class Backend extends WorkerEntrypoint {
  async add(a: number, b: number): Promise<number> {
    return a + b;
  }

  greet(name: string): string {
    return `hello ${name}`;
  }

  async fetch(request: Request): Promise<Response> {
    return new Response(`backend ${request.method}`);
  }
}

export default Backend;
