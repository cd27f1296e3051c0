export interface Step {
  name: string;
  run(): Promise<Step>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function step(name: string, ms: number): Step {
  const s: Step = {
    name,
    async run() {
      await wait(ms);
      return s;
    },
  };
  return s;
}

// The steps run concurrently: the whole checklist takes about as long as
// its slowest step.
export const checklist: Step[] = [
  step("bundle the program with esbuild", 30),
  step("run it in goja", 20),
  step("await Go-backed work concurrently", 40),
];
