import { describe, expect, it } from 'vitest';
import { positionIn, reportingStrangers } from '../../../src/advanced.js';
import { queueName } from '../../helpers/nodes.js';

describe('reportingStrangers', () => {
  it('reports each child in no known scheme once per queue node, and leaves the decision to the rule', () => {
    const reports: string[] = [];
    const ours = queueName('lock', 5);
    const rule = reportingStrangers((children, own) => positionIn(children, own), 'lock', '/unit/strangers', (m) => reports.push(m));
    const stranger = 'their-thing-0000000001';
    expect(rule([stranger, 'notes', ours], ours).predecessor).toBe(stranger);
    expect(rule([stranger, 'notes', ours], ours).predecessor).toBe(stranger);
    expect(rule(['notes', ours], ours).holds).toBe(true);
    expect(reports).toEqual([
      'lock /unit/strangers: child their-thing-0000000001 follows no known naming scheme (rxzk, Curator, kazoo); counted as a contender at its sequence number',
      'lock /unit/strangers: child notes follows no known naming scheme (rxzk, Curator, kazoo) and has no sequence number; it cannot be queued and is left out',
    ]);
  });

  it('reports the same name again under another queue node, and nothing for known schemes', () => {
    const reports: string[] = [];
    const ours = queueName('lock', 5);
    const children = ['notes', ours, '_c_3f0c1e9a-7d1b-4c2e-9a55-0d6f3b2a1c10-lock-0000000001', '3f0c1e9a7d1b4c2e9a550d6f3b2a1c10__lock__0000000002'];
    for (const path of ['/unit/a', '/unit/b']) {
      reportingStrangers((c, own) => positionIn(c, own), 'leadership', path, (m) => reports.push(m))(children, ours);
    }
    expect(reports.map((r) => r.split(':')[0])).toEqual(['leadership /unit/a', 'leadership /unit/b']);
  });
});
