import { fourLetter, serversOf } from '../../src/index.js';

/**
 * The sessions (hex, as `zk.sessionId` gives them) holding a data watch on `path`, from the
 * server's `wchp` listing. Shows which node a waiter is waiting on.
 */
export async function watchersOf(connectString: string, path: string): Promise<Set<string>> {
  const address = serversOf(connectString)[0]!;
  const reply = await fourLetter(address, 'wchp');
  const sessions = new Set<string>();
  let current: string | null = null;
  for (const line of reply.split('\n')) {
    if (line.startsWith('/')) current = line.trim();
    else if (current === path && line.trim().startsWith('0x')) sessions.add(BigInt(line.trim()).toString(16));
  }
  return sessions;
}
