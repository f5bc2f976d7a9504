import Table from 'cli-table3';
import type { CommandModule } from 'yargs';
import { RULES } from '../analysis/rules.js';

/** `igmpscope rules`: every rule validate checks, with its default severity and source. */
export const rulesCommand: CommandModule = {
  command: 'rules',
  describe:
    'list every rule validate checks: id, default severity, what it checks, where it comes from',
  builder: (yargs) =>
    yargs.option('json', { describe: 'one JSON object per rule', type: 'boolean' }),
  handler: (argv) => {
    const rules = [...RULES.values()];
    if (argv.json) {
      for (const r of rules) process.stdout.write(JSON.stringify(r) + '\n');
      return;
    }
    const table = new Table({
      head: ['rule', 'severity', 'checks', 'reference'],
      colWidths: [34, 10, 60, 30],
      wordWrap: true,
      style: { head: [], border: [] },
    });
    for (const r of rules) table.push([r.id, r.severity, r.description, r.reference ?? '']);
    process.stdout.write(table.toString() + '\n');
  },
};
