// `npm run bench`: each scenario runs beside its baseline, interleaved, on the same database,
// and is judged by the ratio of their medians (machine speed cancels out), by SQL statement
// counts and by memory. Results go to bench/results/.
import fs from 'node:fs/promises';
import path from 'node:path';
import { masterSkuListScenario } from './scenarios/master-sku-list.ts';
import type { ScenarioResult } from './scenarios/types.ts';

const scenarios = [masterSkuListScenario];

async function main(): Promise<void> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    process.stdout.write(`running ${scenario.name}…\n`);
    results.push(await scenario.run());
  }

  const report = {
    at: new Date().toISOString(),
    node: process.version,
    results,
  };
  const dir = path.resolve(import.meta.dirname, 'results');
  await fs.mkdir(dir, { recursive: true });
  const stamp = report.at.replace(/[:.]/g, '-');
  await fs.writeFile(path.join(dir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  await fs.writeFile(path.join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

  let failed = false;
  for (const result of results) {
    for (const check of result.checks) {
      failed ||= !check.pass;
      process.stdout.write(`${check.pass ? 'PASS' : 'FAIL'}  ${result.name}: ${check.description} (${check.measured})\n`);
    }
  }
  process.stdout.write(`results written to bench/results/${stamp}.json\n`);
  process.exit(failed ? 1 : 0);
}

await main();
