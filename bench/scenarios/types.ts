export interface Check {
  description: string;
  measured: string;
  pass: boolean;
}

export interface ScenarioResult {
  name: string;
  metrics: Record<string, number>;
  checks: Check[];
}

export interface Scenario {
  name: string;
  run(): Promise<ScenarioResult>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `subject` and `baseline` alternately, so both see the same machine conditions. */
export async function sideBySide(
  iterations: number,
  subject: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
): Promise<{ subjectMs: number; baselineMs: number; ratio: number }> {
  const subjectTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < iterations; i++) {
    for (const [run, times] of [
      [subject, subjectTimes],
      [baseline, baselineTimes],
    ] as const) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
  }
  const subjectMs = median(subjectTimes);
  const baselineMs = median(baselineTimes);
  return { subjectMs, baselineMs, ratio: subjectMs / baselineMs };
}
