/**
 * The functions a V8 CPU profile (`node --cpu-prof`) spent most time in, by self time and by total time
 * (self + callees, each function counted once per sample however deep its recursion):
 *   tsx test/bench/read-profile.ts <file.cpuprofile> [count] [filter]
 * `filter` keeps only functions whose location contains it (e.g. `src/`).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, countText, filter] = process.argv.slice(2);
if (!file) throw new Error('usage: read-profile.ts <file.cpuprofile> [count] [filter]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const nameOf = (node: ProfileNode) => {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const where = url
    ? ` ${url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${lineNumber + 1}:${columnNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'}${where}`;
};

const self = new Map<string, number>();
const total = new Map<string, number>();
let sum = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  sum += delta;
  const leaf = byId.get(id);
  if (!leaf) return;
  self.set(nameOf(leaf), (self.get(nameOf(leaf)) ?? 0) + delta);
  const seen = new Set<string>();
  for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
    const name = nameOf(node);
    if (seen.has(name)) continue;
    seen.add(name);
    total.set(name, (total.get(name) ?? 0) + delta);
  }
});

const count = Number(countText ?? 30);
const show = (title: string, table: Map<string, number>) => {
  console.log(`\n${title}`);
  const rows = [...table]
    .filter(([name]) => !filter || name.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count);
  for (const [name, micros] of rows)
    console.log(
      `${((micros / sum) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
};
show('self time', self);
show('total time', total);
