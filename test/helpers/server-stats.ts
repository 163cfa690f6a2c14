import { fourLetter } from '../../src/index.js';

/** The paths a server holds watches on for one session, from `wchc`. */
export async function watchedPaths(address: string, sessionId: string): Promise<string[]> {
  const reply = await fourLetter(address, 'wchc');
  const section = reply.split(/\n(?=0x)/).find((s) => s.trim().startsWith(`0x${sessionId}\n`));
  if (!section) return [];
  return section
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The xid of the last request a server saw from one session (`lcxid` in `cons`). Every request
 * other than pings and auth takes the next xid, so the difference between two readings is the
 * number of requests sent in between.
 */
export async function lastRequestXid(address: string, sessionId: string): Promise<number> {
  const reply = await fourLetter(address, 'cons');
  const line = reply.split('\n').find((l) => l.includes(`sid=0x${sessionId},`));
  if (!line) throw new Error(`no connection of session 0x${sessionId} in cons:\n${reply}`);
  const match = /lcxid=0x([0-9a-f]+)/.exec(line);
  if (!match) throw new Error(`no lcxid in ${line}`);
  return Number.parseInt(match[1]!, 16);
}
