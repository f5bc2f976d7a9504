import type { FieldDef } from '../src/fields.js';
import '../src/layers/index.js';
import { allProtocols, type FieldList } from '../src/layers/registry.js';

function flatten(list: FieldList, into: FieldDef[]): void {
  for (const entry of list) {
    if ('group' in entry) flatten(entry.members, into);
    else into.push(entry);
  }
}

/** Every field igmpscope declares under a Wireshark name (not its own), each once. */
export function tsharkFieldNames(): string[] {
  const defs: FieldDef[] = [];
  for (const protocol of allProtocols()) flatten(protocol.fields, defs);
  const names = defs
    .filter((d) => !d.ours && d.kind !== 'label' && d.kind !== 'group' && !d.treeOnly)
    .map((d) => d.abbrev);
  return [...new Set(names)];
}
