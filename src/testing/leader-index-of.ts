import { fourLetter, parseSrvr } from '../admin/four-letter.js';

/**
 * The index of the member that leads right now, asked of every running member with `srvr` (a
 * member that is down or does not answer counts as not leading). Throws, naming every member's
 * mode, when none leads (an election is under way).
 */
export async function leaderIndexOf(members: readonly { address: string; running: boolean }[]): Promise<number> {
  if (members.length === 1) return 0;
  const modes = await Promise.all(
    members.map(async (m) => (m.running ? parseSrvr(await fourLetter(m.address, 'srvr').catch(() => '')).mode : 'down')),
  );
  const leader = modes.indexOf('leader');
  if (leader < 0) throw new Error(`no member is leading right now (modes: ${modes.join(', ')})`);
  return leader;
}
