import { readFileSync } from 'node:fs';
import { readCapture } from '../src/capture/open.js';
import { dissect } from '../src/dissect.js';
import type { FieldNode } from '../src/fields.js';
import { protocolChain } from '../src/layers/registry.js';
import { fieldText } from '../src/output/field-text.js';
import { infoColumn, protocolColumn } from '../src/output/info.js';

/** One cell where igmpscope and the tshark golden differ. */
export interface Difference {
  frame: number;
  /** tshark's frame.protocols for the frame. */
  chain: string;
  /** tshark's Protocol and Info columns for the frame. */
  protocol: string;
  info: string;
  field: string;
  tshark: string;
  igmpscope: string;
}

function collect(nodes: readonly FieldNode[], into: Map<string, string[]>): void {
  for (const n of nodes) {
    const f = n.field;
    if (f.kind !== 'group' && f.kind !== 'label' && !f.treeOnly) {
      const list = into.get(f.abbrev) ?? [];
      list.push(fieldText(f, n.value));
      into.set(f.abbrev, list);
    }
    if (n.children) collect(n.children, into);
  }
}

/**
 * igmpscope's reading of a capture against `tshark -T fields` over it (a golden made by
 * scripts/tshark-goldens.ts): every column, every frame, all occurrences in order.
 */
export async function compareWithTshark(capture: string, golden: string): Promise<Difference[]> {
  const [header, ...rows] = readFileSync(golden, 'utf8').trimEnd().split('\n');
  const columns = header.split('\t');
  const differences: Difference[] = [];
  let index = 0;
  for await (const batch of readCapture(capture)) {
    for (const frame of batch) {
      const d = dissect(frame);
      const values = new Map<string, string[]>();
      for (const layer of d.layers) collect(layer.nodes, values);
      const cells = rows[index++]?.split('\t') ?? [];
      columns.forEach((column, i) => {
        const ours =
          column === 'frame.protocols'
            ? protocolChain(d.layers)
            : column === '_ws.col.Protocol'
              ? protocolColumn(d)
              : column === '_ws.col.Info'
                ? infoColumn(d)
                : (values.get(column) ?? []).join(',');
        const theirs = cells[i] ?? '';
        if (ours !== theirs)
          differences.push({
            frame: frame.number,
            chain: cells[columns.indexOf('frame.protocols')] ?? '',
            protocol: cells[columns.indexOf('_ws.col.Protocol')] ?? '',
            info: cells[columns.indexOf('_ws.col.Info')] ?? '',
            field: column,
            tshark: theirs,
            igmpscope: ours,
          });
      });
    }
  }
  if (index !== rows.length)
    throw new Error(`${capture}: ${index} frames, golden has ${rows.length}`);
  return differences;
}
