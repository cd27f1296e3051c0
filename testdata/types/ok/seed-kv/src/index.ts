// Seed "KV bindings" (001), both code blocks. Changes: the seed is JavaScript; here the handler is typed
// with `satisfies ExportedHandler<Env>`, and the Durable Object declares its fields and parameter types.
interface Env {
  TODO: KVNamespace;
  NAMESPACE: KVNamespace;
}

export default {
  async fetch(request, env, ctx) {
    // Get the value for the "to-do:123" key
    // NOTE: Relies on the `TODO` KV binding that maps to the "My Tasks" namespace.
    let value = await env.TODO.get("to-do:123");

    // Return the value, as is, for the Response
    return new Response(value);
  },
} satisfies ExportedHandler<Env>;

export class DurableObject {
  state: DurableObjectState;
  env: Env;

  constructor(state: DurableObjectState, env: Env) {
    this.state = state;
    this.env = env;
  }

  async fetch(request: Request) {
    const valueFromKV = await this.env.NAMESPACE.get("someKey");
    return new Response(valueFromKV);
  }
}
